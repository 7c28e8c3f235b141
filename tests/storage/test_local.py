"""LocalStorage: files under the data dir, safe keys only, URLs served by the web app at /files/."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import Settings
from core.storage import LocalStorage, MissingFile, check_key, new_storage

BAD_KEYS = ["../etc/passwd", "/abs/path", "a/../b", "a//b", "", "a/./b", "dir/", "x\\y", "é.png"]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_unsafe_keys_are_refused(storage: LocalStorage, key: str) -> None:
    with pytest.raises(ValueError, match="unsafe storage key"):
        storage.put(key, b"x", content_type="text/plain")
    with pytest.raises(ValueError, match="unsafe storage key"):
        check_key(key)


def test_round_trip(storage: LocalStorage) -> None:
    storage.put("orders/o1/photo.jpg", b"jpeg bytes", content_type="image/jpeg")
    assert storage.exists("orders/o1/photo.jpg")
    assert storage.get("orders/o1/photo.jpg") == b"jpeg bytes"
    assert (storage.root / "orders" / "o1" / "photo.jpg").read_bytes() == b"jpeg bytes"
    storage.put("orders/o1/photo.jpg", b"new", content_type="image/jpeg")
    assert storage.get("orders/o1/photo.jpg") == b"new"


def test_missing_file_is_a_clear_error(storage: LocalStorage) -> None:
    assert not storage.exists("orders/none.png")
    with pytest.raises(MissingFile):
        storage.get("orders/none.png")
    storage.delete("orders/none.png")  # deleting what is gone is fine


def test_delete_prefix_removes_only_that_folder(storage: LocalStorage) -> None:
    for key in ["games/ab/index.html", "games/ab/js/x.js", "games/abc/index.html"]:
        storage.put(key, b"x", content_type="text/html")
    assert storage.delete_prefix("games/ab/") == 2
    assert not storage.exists("games/ab/js/x.js")
    assert storage.exists("games/abc/index.html")
    assert storage.delete_prefix("games/ab/") == 0
    with pytest.raises(ValueError, match="must end with"):
        storage.delete_prefix("games/abc")


def test_urls_point_at_the_files_route(storage: LocalStorage) -> None:
    url = storage.url("games/ab/index.html")
    assert url.url == "http://files.test/files/games/ab/index.html"
    assert url.expires_at is None


def test_factory_defaults_to_local_under_data_dir(settings: Settings, tmp_path: Path) -> None:
    store = new_storage(settings)
    assert isinstance(store, LocalStorage)
    assert store.root == settings.data_dir / "storage"
    assert store.url("games/b.png").url == "/files/games/b.png"  # site-relative, no public URL
    public = new_storage(settings.model_copy(update={"public_url": "https://pp.example/"}))
    assert public.url("previews/k/b.png").url == "https://pp.example/files/previews/k/b.png"


@pytest.mark.parametrize("key", ["orders/o1/photo.jpg", "orders/o1/preview/mask.1.png", "a/b.png"])
def test_private_keys_have_no_url(storage: LocalStorage, key: str) -> None:
    with pytest.raises(ValueError, match="private"):
        storage.url(key)
