"""Files of previews and games into Storage, and the game row that a short code points at."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import timedelta
from typing import Any

from PIL import Image
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.db import Database
from core.filetypes import content_type
from core.orders.games import new_code
from core.orders.tables import Game, Upload, utcnow
from core.storage import IMMUTABLE, Storage

# index.html keeps its name so it must revalidate; every other bundle file is content-hashed.
PAGE_CACHE = "public, max-age=60, must-revalidate"
PRIVATE = "private, no-store"  # never served; set anyway in case a bucket is misconfigured
CODE_ATTEMPTS = 5


def png_bytes(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def hashed_key(prefix: str, name: str, data: bytes) -> str:
    """`<prefix>/<stem>.<hash12><ext>`: new content gets a new key, so URLs cache forever."""
    stem, dot, ext = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:12]
    return f"{prefix}/{stem}.{digest}{dot}{ext}"


def private_folder(order_id: str) -> str:
    """Where an order's private files live: the photo as uploaded and the cutout mask."""
    return f"orders/{order_id}/"


def public_folder(asset_key: str) -> str:
    """Where an order's preview art lives: public, named by the order's random asset key."""
    return f"previews/{asset_key}/"


def order_folders(order_id: str, asset_key: str) -> list[str]:
    """Every storage prefix holding an order's files (delete them all to erase the order)."""
    return [private_folder(order_id), public_folder(asset_key)]


def store_preview(storage: Storage, order_id: str, asset_key: str, result: Any) -> dict[str, str]:
    """Upload a SpriteResult's files; returns the Upload column -> storage key map.

    The sprite, sheet, atlas and GIF are pixel art made to be shown and shared: they go to the
    order's public folder. The mask is the pet's cutout of the photo: it stays private.
    """
    public, private = public_folder(asset_key), private_folder(order_id)
    files = {
        "sprite_key": (public, "sprite.png", png_bytes(result.sprite), IMMUTABLE),
        "sheet_key": (public, "sheet.png", png_bytes(result.sheet), IMMUTABLE),
        "atlas_key": (
            public, "sheet.json", json.dumps(result.atlas, separators=(",", ":")).encode(),
            IMMUTABLE,
        ),
        "preview_gif_key": (public, "preview.gif", result.preview_gif, IMMUTABLE),
        "processed_key": (f"{private}preview", "mask.png", png_bytes(result.mask), PRIVATE),
    }  # fmt: skip
    keys = {}
    for column, (folder, name, data, cache) in files.items():
        key = hashed_key(folder.rstrip("/"), name, data)
        storage.put(key, data, content_type=content_type(name), cache_control=cache)
        keys[column] = key
    return keys


def sprite_info(result: Any) -> dict[str, Any]:
    species, guessed = species_of(result)
    return {
        "style": result.style, "size": result.size, "palette": list(result.palette),
        "cutout_backend": result.cutout_backend, "confidence": round(float(result.confidence), 3),
        "species": species, "species_guessed": guessed,
        "timings_ms": {k: round(v, 1) for k, v in result.timings_ms.items()},
    }  # fmt: skip


def species_of(result: Any) -> tuple[str, bool]:
    """(species drawn, guessed by the detector) of a SpriteResult."""
    return str(getattr(result, "species", "other")), bool(getattr(result, "species_guessed", False))


def save_preview_keys(
    session: Session, order_id: str, keys: dict[str, str], info: dict[str, Any]
) -> None:
    session.execute(
        update(Upload).where(Upload.order_id == order_id).values(sprite_info=info, **keys)
    )


def upload_bundle(storage: Storage, code: str, files: dict[str, bytes]) -> dict[str, str]:
    """Upload every bundle file under games/<code>/; returns relative path -> storage key."""
    assets = {}
    for path, data in sorted(files.items()):
        key = f"games/{code}/{path}"
        cache = PAGE_CACHE if path == "index.html" else IMMUTABLE
        storage.put(key, data, content_type=content_type(path), cache_control=cache)
        assets[path] = key
    return assets


def reserve_game(db: Database, order_id: str, user_id: str) -> str:
    """The order's game code, creating its (unpublished) row on the first run.

    A re-run reuses the code, so its uploads overwrite the same keys. The unique order_id makes two
    concurrent runs agree on one code; a (very unlikely) code collision just draws again.
    """
    for _ in range(CODE_ATTEMPTS):
        existing = _code_for(db, order_id)
        if existing:
            return existing
        try:
            with db.session() as session:
                session.add(Game(code=new_code(), order_id=order_id, user_id=user_id))
        except IntegrityError:
            continue
    raise RuntimeError("could not reserve a unique game code")


def _code_for(db: Database, order_id: str) -> str | None:
    with db.session() as session:
        return session.scalar(select(Game.code).where(Game.order_id == order_id))


def finish_game(
    session: Session,
    order_id: str,
    *,
    assets: dict[str, str],
    config: dict[str, Any],
    meta: dict[str, Any],
    ttl_days: int | None,
) -> None:
    expires = utcnow() + timedelta(days=ttl_days) if ttl_days else None
    session.execute(
        update(Game)
        .where(Game.order_id == order_id)
        .values(assets=assets, config=config, meta=meta, expires_at=expires)
    )
