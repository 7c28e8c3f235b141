"""`Annotated` dependencies: routes declare what they need; tests may swap them via overrides."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from core.config import Settings
from core.orders.service import OrderService
from core.storage import Storage
from web.metrics import Metrics
from web.resources import Resources

STARTING = "PetPixel is just starting up. Please try again in a few seconds."


def get_resources(request: Request) -> Resources:
    resources: Resources | None = getattr(request.app.state, "resources", None)
    if resources is None:  # a request that arrives before the lifespan opened everything
        raise HTTPException(503, STARTING, headers={"Retry-After": "5"})
    return resources


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_metrics(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


def get_service(resources: Annotated[Resources, Depends(get_resources)]) -> OrderService:
    return resources.service


def get_storage(resources: Annotated[Resources, Depends(get_resources)]) -> Storage:
    return resources.storage


ResourcesDep = Annotated[Resources, Depends(get_resources)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
ServiceDep = Annotated[OrderService, Depends(get_service)]
StorageDep = Annotated[Storage, Depends(get_storage)]
