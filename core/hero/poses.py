"""The hero's animations as pose sequences: idle, walk, jump, special (bark or meow), hurt.

Each entry is (Pose, duration in ms). Motion is in whole pixels where it matters (body bob, crouch)
so frames never shimmer; legs follow a trot (near-front with far-back, near-back with far-front),
the tail sways against the stride, and the special move differs by species.
"""

from __future__ import annotations

import math

from core.hero.body import FootOffsets, Pose
from core.hero.rig import Rig

Sequence_ = list[tuple[Pose, int]]


def idle(rig: Rig) -> Sequence_:  # noqa: ARG001 (every animation takes the rig)
    """Breathing (the body rises a pixel), a tail swish, an ear twitch and one blink."""
    sway = (0.0, 0.12, 0.25, 0.12, 0.0, -0.12)
    return [
        (
            Pose(
                body_dy=1.0 if i in (2, 3) else 0.0,
                tail=sway[i],
                ear=1.0 if i == 2 else 0.0,
                eyes="closed" if i == 4 else "open",
            ),
            120 if i == 4 else 180,
        )
        for i in range(6)
    ]


def walk(rig: Rig, count: int = 8) -> Sequence_:
    """A trot: diagonal leg pairs swing in turn, feet lift on the way forward, the body bobs."""
    stride = max(1.5, rig.leg_len * 0.55 + rig.leg_w * 0.3)
    lift = max(1.0, round(rig.leg_len * 0.35))
    frames = []
    for i in range(count):
        phase = 2 * math.pi * i / count
        a = _foot(phase, stride, lift)
        b = _foot(phase + math.pi, stride, lift)
        feet: FootOffsets = (a, b, b, a)
        bob = 1.0 if i % (count // 2) in (1, 2) else 0.0
        frames.append((Pose(body_dy=bob, feet=feet, tail=0.2 * math.sin(phase),
                            head=(0.0, bob * 0.0)), 90))  # fmt: skip
    return frames


def _foot(phase: float, stride: float, lift: float) -> tuple[float, float]:
    """Forward/back swing by cosine; the foot is off the ground only while it swings forward."""
    dx = stride * math.cos(phase)
    swinging = math.sin(phase) > 0.2
    return round(dx * 2) / 2, -lift if swinging else 0.0


def jump(rig: Rig) -> Sequence_:
    """Anticipation, rise, apex, fall, land — in that order (the game picks by vertical speed)."""
    leg, s = rig.leg_len, max(1.5, rig.leg_len * 0.6)
    crouch = max(1.0, round(leg * 0.45))
    tuck = -max(1.0, round(leg * 0.5))
    return [
        (
            Pose(
                body_dy=crouch,
                pitch=-0.5,
                feet=((-0.5, 0), (0.5, 0), (-0.5, 0), (0.5, 0)),
                tail=-0.2,
                ear=1.0,
            ),
            90,
        ),
        (
            Pose(
                pitch=1.5,
                stretch=1.08,
                feet=((s, tuck), (-s, 0), (s, tuck), (-s, 0)),
                tail=-0.3,
                ear=1.5,
            ),
            100,
        ),
        (
            Pose(
                feet=((s * 0.6, tuck), (-s * 0.4, tuck), (s * 0.6, tuck), (-s * 0.4, tuck)),
                tail=0.2,
            ),
            120,
        ),
        (
            Pose(pitch=-1.0, feet=((s, 0), (-s * 0.6, tuck), (s, 0), (-s * 0.6, tuck)), tail=0.35),
            100,
        ),
        (
            Pose(
                body_dy=crouch,
                stretch=0.96,
                feet=((0.5, 0), (-0.5, 0), (0.5, 0), (-0.5, 0)),
                tail=0.1,
                ear=1.0,
            ),
            90,
        ),
    ]


def special(rig: Rig) -> Sequence_:
    """Dogs bark (rear back, open mouth, sound arcs); cats crouch, wiggle and pounce with a meow."""
    if rig.species == "dog":
        return [
            (Pose(), 100),
            (Pose(pitch=1.5, head=(-0.5, -1.0), tail=0.3), 100),
            (Pose(pitch=0.5, head=(1.0, 0.0), mouth="open", effect="bark", tail=0.4), 130),
            (Pose(pitch=0.5, head=(1.0, 0.0), mouth="open", effect="bark", tail=-0.2), 130),
            (Pose(head=(0.5, 0.0), tail=0.2), 100),
        ]
    s = max(1.5, rig.leg_len * 0.7)
    crouch = max(1.0, round(rig.leg_len * 0.5))
    return [
        (Pose(body_dy=crouch, pitch=-1.0, tail=0.3, ear=1.0), 120),
        (Pose(body_dy=crouch, pitch=-1.0, tail=-0.3, ear=1.0, head=(-0.5, 0.0)), 120),
        (
            Pose(
                pitch=1.5,
                stretch=1.1,
                feet=((s, -1), (-s, 0), (s, -1), (-s, 0)),
                mouth="open",
                effect="meow",
                tail=-0.2,
            ),
            120,
        ),
        (
            Pose(
                pitch=-1.0,
                feet=((s * 0.8, 0), (-s * 0.3, 0), (s * 0.8, 0), (-s * 0.3, 0)),
                mouth="open",
                effect="meow",
                tail=0.3,
            ),
            130,
        ),
        (Pose(tail=0.1), 100),
    ]


def hurt(rig: Rig) -> Sequence_:
    """A recoil: head thrown back, eyes squeezed shut, ears flat, legs braced; two flashes."""
    brace = max(1.0, rig.leg_len * 0.4)
    recoil = Pose(pitch=1.5, head=(-1.0, -0.5), eyes="squint", mouth="open", ear=2.0,
                  feet=((brace, 0), (-brace, 0), (brace, 0), (-brace, 0)), tail=-0.4)  # fmt: skip
    return [
        (Pose(**{**recoil.__dict__, "flash": True}), 80),
        (recoil, 120),
        (Pose(**{**recoil.__dict__, "flash": True}), 80),
        (Pose(head=(-0.5, 0.0), eyes="squint", ear=1.0, tail=-0.2), 140),
    ]


ANIMATIONS = {"idle": idle, "walk": walk, "jump": jump, "special": special, "hurt": hurt}
