# One image for every PetPixel process (web, workers, bots); compose.yml picks the command.
# Build offline on a local base: --build-arg BASE_IMAGE=localhost/python311:bookworm
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PETPIXEL_DATA_DIR=/data

# A normal (non-editable) install: game_template/, web templates and static files and the migrations
# are package data, read from site-packages; the copied sources are removed once installed.
WORKDIR /src
COPY pyproject.toml README.md ./
COPY core ./core
COPY runtime ./runtime
COPY workers ./workers
COPY web ./web
COPY bots ./bots
COPY cli ./cli
COPY game_template ./game_template
RUN python3 -m venv /venv \
    && /venv/bin/pip install --upgrade pip \
    && /venv/bin/pip install . \
    && rm -rf /src \
    && useradd --create-home --uid 10001 petpixel \
    && mkdir -p /data && chown petpixel /data
WORKDIR /data
ENV PATH=/venv/bin:$PATH
USER petpixel
EXPOSE 8000
CMD ["petpixel", "serve", "--host", "0.0.0.0", "--port", "8000"]
