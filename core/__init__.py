"""PetPixel domain logic: the photo-to-game pipeline and the order lifecycle."""
