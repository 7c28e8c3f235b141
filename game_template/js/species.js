// What the hero's species changes: the special move's word and voice, and what it collects.
// game.json's `species` ("cat" | "dog" | "other") picks one entry; the rules (sim.js) never differ.

export const SPECIES = {
  dog: { word: 'bark', cry: 'Bark!', voice: 'bark', collectible: 'bone', special: 'rings' },
  cat: { word: 'meow', cry: 'Meow!', voice: 'meow', collectible: 'fish', special: 'pounce' },
  other: { word: 'chirp', cry: 'Chirp!', voice: 'chirp', collectible: 'star', special: 'sparkle' },
};

export function speciesOf(name) {
  return Object.hasOwn(SPECIES, name) ? name : 'other';
}
