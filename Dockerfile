# One image for every PetPixel process (web, workers, beat, bots); compose.yml picks the command.
#   docker build -t petpixel:0.1.0 .                      the CPU image (default target: runtime)
#   docker build --target gpu -t petpixel-gpu:0.1.0 .     + torch (CUDA) and diffusers, for gpu-worker
# Offline on a local base and a wheelhouse (what tests/container does with podman):
#   --build-arg BASE_IMAGE=localhost/petpixel-base:bookworm-<key> (python3, venv, CA certs, postgresql-client)
#   --build-arg PIP_OPTS="--no-index --find-links /wheels" -v "$WHEELHOUSE:/wheels:ro"
# Dependencies come from requirements.lock (exact versions and hashes; scripts/lock.sh refreshes it)
# and are installed before the sources are copied: a code change rebuilds only the last layers.
ARG BASE_IMAGE=python:3.11-slim

# ---- deps: a virtual environment at /venv with the locked dependencies (cached until a lock
# file changes); the runtime stage copies it as one layer that code changes never touch -----------
FROM ${BASE_IMAGE} AS deps
ARG PIP_OPTS=""
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python3 -m venv /venv
COPY requirements.lock /tmp/requirements.lock
RUN /venv/bin/pip install $PIP_OPTS --require-hashes -r /tmp/requirements.lock \
    && find /venv/lib -depth -type d -name tests -path '*/site-packages/*' -exec rm -rf {} +
# (What no process runs: the packages' own test suites. Keep the .pyi files: scikit-image's lazy
# loader reads its imports from __init__.pyi at run time.)

# ---- builder: a normal (non-editable) install of the project, into /out --------------------------
# game_template/, web templates and static files and the migrations are package data, read from
# site-packages. setuptools came from the lock: no index needed. --prefix /out keeps the project's
# files apart (site-packages and the `petpixel` script, whose #! is /venv/bin/python).
FROM deps AS builder
WORKDIR /src
COPY pyproject.toml README.md ./
COPY core ./core
COPY runtime ./runtime
COPY workers ./workers
COPY web ./web
COPY bots ./bots
COPY cli ./cli
COPY game_template ./game_template
RUN /venv/bin/pip install --no-index --no-deps --no-build-isolation --prefix /out . \
    && rm -rf /src

# ---- gpu-deps: the `ml` extra on top, from its own lock (same versions where they overlap) -------
FROM deps AS gpu-deps
ARG PIP_OPTS=""
COPY requirements-gpu.lock /tmp/requirements-gpu.lock
RUN /venv/bin/pip install $PIP_OPTS --require-hashes -r /tmp/requirements-gpu.lock

# ---- the runtime base: no compiler, no pip cache, no sources; a non-root user -----------------
FROM ${BASE_IMAGE} AS runtime-base
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/venv/bin:$PATH \
    PETPIXEL_DATA_DIR=/data \
    PETPIXEL_MODELS_DIR=/models
# pg_dump and pg_restore for `petpixel backup` (bookworm's PostgreSQL 15 client; pg_dump refuses a
# newer server, so compose runs PostgreSQL 15). A base that already has them skips apt.
RUN if ! command -v pg_dump >/dev/null; then \
        apt-get update && apt-get install -y --no-install-recommends postgresql-client \
        && rm -rf /var/lib/apt/lists/*; \
    fi
# /data: everything a process writes (beat's schedule, scratch files); /models: the cutout weights
# (`petpixel models install`, a volume in compose). Both belong to the app user; the rest is read-only.
RUN useradd --create-home --uid 10001 --user-group petpixel \
    && mkdir -p /data /models \
    && chown petpixel:petpixel /data /models
WORKDIR /data
EXPOSE 8000
# Liveness of `petpixel serve` (the default command); compose gives workers and beat their own.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/live', timeout=3)"]
CMD ["petpixel", "serve", "--host", "0.0.0.0", "--port", "8000"]

# ---- gpu: the GPU worker's image (previews, deluxe HD builds) ---------------------------------
FROM runtime-base AS gpu
COPY --from=gpu-deps /venv /venv
COPY --from=builder /out/ /venv/
USER petpixel

# ---- runtime (default): the CPU image for web, worker, beat, bots, migrate, models ------------
FROM runtime-base AS runtime
COPY --from=deps /venv /venv
COPY --from=builder /out/ /venv/
USER petpixel
