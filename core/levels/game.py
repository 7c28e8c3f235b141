"""Python twin of the whole of sim.js `step`: the player (core/levels/sim.py's physics), enemies,
treats and checkpoints, the special move (stun + cooldown), the boss (designs, plan, phases, shots,
the defeat beat), score, lives and status. The server replays a submitted input trace with it.

Every rule below has a twin in game_template/js/sim.js, in the same order (the parity test,
tests/levels/test_game_twin.py, steps both on the same levels and inputs and compares every
frame's state). Integers only: positions and speeds in 1/subpixel px, as sim.js.

Speed: enemy positions are pure functions of each enemy's own clock, so they are computed only
when something needs them (a touch, the special, a state row); treats are found by the tiles the
player covers; enemies by the columns their whole path covers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from core.levels import sim
from core.levels.physics import Constants, derive

# The sim.js these rules mirror: core.packaging.rules.rules_version of game_template/js/sim.js
# (tests/runs/test_rules.py checks it). Change it with the twin whenever sim.js's code changes:
# games packaged with another sim.js are then refused (game_rules_changed), never misjudged.
RULES_VERSION = "f0e1e4503e56"
ENEMY_TYPES = ("walker", "flyer", "jumper")
STOMP_MARGIN_PX = 6
SOLID = "#*"
# Input bits of one frame (the compact trace: [[count, mask], ...]).
LEFT, RIGHT, JUMP, SPECIAL = 1, 2, 4, 8
KEY_BITS = (("L", LEFT), ("R", RIGHT), ("J", JUMP), ("S", SPECIAL))


def _half_up(value: float) -> int:
    return math.floor(value + 0.5)


def _themed(physics: dict[str, Any], theme: str | None) -> dict[str, Any]:
    """physics.json with the theme's overrides (as sim.js `themed`)."""
    over = dict(physics.get("themes", {}).get(theme, {})) if theme is not None else {}
    over.pop("mechanic", None)
    return {**physics, **over} if over else physics


def boss_design(physics: dict[str, Any], entity: dict[str, Any], theme: str | None) -> str:
    """sim.js bossDesign: the entity's design, else the theme's, else the vacuum."""
    boss = physics["boss"]
    designs = boss.get("designs") or {}
    name = entity.get("design")
    if name is None:
        name = (boss.get("theme_designs") or {}).get(theme)
    return name if name is not None and designs.get(name) else "vacuum"


def boss_spec(physics: dict[str, Any], design: str) -> dict[str, Any]:
    """sim.js bossSpec: physics.boss with the design's overrides."""
    boss = physics["boss"]
    return {**boss, **((boss.get("designs") or {}).get(design) or {})}


def _plan(bp: dict[str, Any]) -> list[tuple[str, int, str]]:
    plan = [("walk", int(bp["walk_frames"]), "walk")]
    for attack in bp.get("plan") or ["charge", "hop", "shoot"]:
        plan.append(("windup", int(bp["windup_frames"]), attack))
        plan.append((attack, int(bp["attack_frames"]), attack))
    return plan


def _triangle(t: int, span: int) -> int:
    m = _jsmod(t, 2 * span)
    return m if m <= span else 2 * span - m


def _jsmod(a: int, b: int) -> int:
    """JavaScript's % on integers (the sign of the dividend)."""
    return a % b if a >= 0 else -((-a) % b)


class Enemy:
    """One walker, flyer or jumper. Its clock and stun are brought up to date lazily (`_sync`)."""

    __slots__ = (
        "_a",
        "_air",
        "_base_x",
        "_dx",
        "_dy",
        "_fly_y",
        "_ground_y",
        "_half",
        "_hop",
        "_period",
        "_phase",
        "_span",
        "_speed",
        "alive",
        "at",
        "box",
        "clock",
        "h",
        "id",
        "n",
        "spawn",
        "stun",
        "type",
        "w",
    )  # fmt: skip

    def __init__(self, index: int, e: dict[str, Any], physics: dict[str, Any], k: Constants):
        spec = physics["enemies"][e["type"]]
        sp, t = k.SP, k.T
        self.id, self.type, self.w, self.h = index, e["type"], spec["w"], spec["h"]
        self.n = 0  # its place in Game.enemies
        self.alive, self.stun, self.clock, self.at, self.spawn = True, 0, 0, 0, e
        self._base_x = e["x"] * t + (t - self.w * sp) // 2
        self._ground_y = (e["y"] + 1) * t - self.h * sp
        w, h = self.w * sp, self.h * sp
        if self.type == "walker":
            a, b = e.get("range") or (e["x"], e["x"])
            self._a = a * t
            self._span = max(1, (b - a + 1) * t - w)
            self._speed = _half_up(spec["speed"] * sp)
            x0, x1, y0, y1 = self._a, self._a + self._span + w, self._ground_y, self._ground_y + h
        elif self.type == "flyer":
            self._period = e.get("period", spec["period"])
            self._half = self._period // 2
            self._dx, self._dy = e.get("dx", 0) * t, e.get("dy", 0) * t  # sim.js: dx * k.T
            self._fly_y = e["y"] * t + (t - h) // 2
            ddx, ddy = self._dx, self._dy
            x0, x1 = self._base_x + min(0, ddx), self._base_x + max(0, ddx) + w
            y0, y1 = self._fly_y + min(0, ddy), self._fly_y + max(0, ddy) + h
        else:
            self._period, self._air = e.get("period", spec["period"]), spec["air_frames"]
            self._phase = e.get("phase", 0)
            self._hop = math.floor(spec["height_tiles"] * t)
            x0, x1 = self._base_x, self._base_x + w
            y0, y1 = self._ground_y - self._hop, self._ground_y + h
        # Everywhere the enemy can ever be (a little wider: floors of float paths), in sub-pixels.
        self.box = (math.floor(x0) - t, math.ceil(x1) + t, math.floor(y0) - t, math.ceil(y1) + t)

    def place(self) -> tuple[int, int, int]:
        """(sx, sy, facing) at the enemy's clock: sim.js placeEnemy."""
        c = self.clock
        if self.type == "walker":
            span = self._span
            t = c * self._speed + (self._base_x - self._a)
            return (
                self._a + _triangle(t, span),
                self._ground_y,
                1 if _jsmod(t, 2 * span) < span else -1,
            )
        if self.type == "flyer":
            half, period = self._half, self._period
            u = _triangle(c, half)
            sx = self._base_x + math.floor(self._dx * u / half)  # sim.js fdiv: floor of a / b
            sy = self._fly_y + math.floor(self._dy * u / half)
            return sx, sy, 1 if (self._dx >= 0) == (_jsmod(c, period) < half) else -1
        t = _jsmod(c + self._phase, self._period)
        air = self._air
        lift = (4 * self._hop * t * (air - t)) // (air * air) if t < air else 0
        return self._base_x, self._ground_y - lift, 1


class Boss:
    __slots__ = (
        "alive",
        "arena",
        "clock",
        "defeat",
        "design",
        "dir",
        "ground_y",
        "h",
        "hp",
        "invuln",
        "max_hp",
        "mode",
        "next",
        "phase",
        "plan",
        "spec",
        "stun",
        "sx",
        "sy",
        "total",
        "w",
    )  # fmt: skip

    def __init__(self, e: dict[str, Any], physics: dict[str, Any], k: Constants, theme: str):
        self.design = boss_design(physics, e, theme)
        b = self.spec = boss_spec(physics, self.design)
        self.plan = _plan(b)
        self.total = sum(n for _, n, _ in self.plan)
        self.w, self.h = b["w"], b["h"]
        self.sx = e["x"] * k.T
        self.sy = self.ground_y = (e["y"] + 1) * k.T - b["h"] * k.SP
        self.hp = self.max_hp = e.get("hp", b["base_hp"])
        self.phase, self.mode, self.next = 1, "walk", "walk"
        self.invuln = self.stun = self.clock = self.defeat = 0
        self.dir, self.alive = -1, True
        arena = e.get("arena") or [e["x"], e["x"]]
        self.arena = (arena[0] * k.T, (arena[1] + 1) * k.T - b["w"] * k.SP)

    def at(self) -> tuple[str, str, int, int]:
        """sim.js bossPhase: (mode, next, t, len) at the boss's clock."""
        c = self.clock % self.total
        for mode, n, nxt in self.plan:
            if c < n:
                return mode, nxt, c, n
            c -= n
        raise AssertionError("unreachable")


class Shot:
    __slots__ = ("g", "h", "life", "svx", "svy", "sx", "sy", "w")

    def __init__(self, sx: int, sy: int, svx: int, svy: int, g: int, size: int, life: int):
        self.sx, self.sy, self.svx, self.svy, self.g, self.life = sx, sy, svx, svy, g, life
        self.w = self.h = size


class Game:
    """One level being played: sim.js `createWorld` + `step`."""

    def __init__(self, level: dict[str, Any], physics: dict[str, Any]):
        theme = level.get("theme")
        self.physics = physics
        self.k = k = derive(physics, theme)
        self.stomp_bounce = _half_up(_themed(physics, theme)["stomp_bounce"] * k.SP)
        self.world = sim.create_world(level, k)
        self.player = self.world.player
        self.frame = 0
        self.score = 0
        self.tick = 0  # how many times the enemies moved (their lazy clocks catch up to it)
        self.special_held = False
        self.special_cooldown = 0
        self.special_timer = 0
        self.enemies: list[Enemy] = []
        self.treats: dict[tuple[int, int], list[int]] = {}  # tile -> indexes in self.items
        self.items: list[dict[str, Any]] = []
        self.boss: Boss | None = None
        self.shots: list[Shot] = []
        for i, e in enumerate(level["entities"]):
            if e["type"] in ENEMY_TYPES:
                enemy = Enemy(i, e, physics, k)
                enemy.n = len(self.enemies)
                self.enemies.append(enemy)
            elif e["type"] == "boss":
                self.boss = Boss(e, physics, k, theme or "")
            else:
                if e["type"] == "treat":
                    self.treats.setdefault((e["x"], e["y"]), []).append(len(self.items))
                self.items.append({"type": e["type"], "x": e["x"], "y": e["y"], "taken": False})
        self.treat_cells = _treat_cells(self.items)
        self.columns = _columns(self.enemies, level["width"], k.T)
        self._place_enemies()

    # ---- status -------------------------------------------------------------------------------

    @property
    def status(self) -> str:
        return self.world.status

    @property
    def lives(self) -> int:
        return self.world.lives

    @lives.setter
    def lives(self, value: int) -> None:
        self.world.lives = value

    # ---- the frame ----------------------------------------------------------------------------

    def step(self, mask: int) -> list[str]:
        """One 1/60 s frame with the input bits `mask`; returns the event types (sim.js order)."""
        world = self.world
        if world.status != "playing":
            return []
        self.frame += 1
        boss = self.boss
        if boss is not None and boss.defeat > 0:
            return self._defeat_beat(boss)
        self._place_enemies()
        jump = bool(mask & JUMP)
        events, fall, prev_bottom = self._step_player(bool(mask & LEFT), bool(mask & RIGHT), jump)
        if world.status == "playing":
            self._special(bool(mask & SPECIAL), events)
        if world.status == "playing" and self.enemies:
            self._touch_enemies(jump, fall, prev_bottom, events)
        if world.status == "playing" and boss is not None and boss.alive:
            self._move_boss(boss)
            self._touch_boss(boss, jump, fall, prev_bottom, events)
            if world.status == "playing" and self.shots:
                self._move_shots(events)
        if world.status == "playing" and self.treats:
            self._collect(events)
        return events

    def _step_player(self, left: bool, right: bool, jump: bool) -> tuple[list[str], int, int]:
        """sim.js stepPlayer through sim.py's pieces; also its contact (fall speed, old feet)."""
        world, p, k = self.world, self.player, self.k
        if p.invuln > 0:
            p.invuln -= 1
        if p.stun > 0:
            p.stun -= 1
        events = sim._steer_and_jump(p, k, left, right, jump)
        fall, prev_bottom = p.svy, p.sy + k.ph
        sim._move_x(world, p, k)
        events += sim._move_y(world, p, k)
        if p.on_ground:
            p.coyote = k.coyote
        elif p.coyote > 0:
            p.coyote -= 1
        events += sim._touch_tiles(world, p, k)
        if world.status == "playing":
            marks = sim._touch_markers(world, p, k)
            if marks:
                for ev in marks:
                    if ev == "checkpoint":
                        for item in self.items:
                            if (item["type"] == "checkpoint" and not item["taken"]
                                    and (item["x"], item["y"]) in world.taken):  # fmt: skip
                                item["taken"] = True
                    elif ev == "goal":
                        self.score += self.physics["score"]["goal"]
                events += marks
        return events, fall, prev_bottom

    def _defeat_beat(self, boss: Boss) -> list[str]:
        boss.defeat -= 1
        events, _, _ = self._step_player(False, False, False)
        if boss.defeat == 0 and self.world.status == "playing":
            self.world.status = "won"
            events.append("won")
        return events

    # ---- enemies ------------------------------------------------------------------------------

    def _place_enemies(self) -> None:
        self.tick += 1

    def _sync(self, e: Enemy) -> None:
        """Bring the enemy's stun and clock to the current tick (sim.js placeEnemies, caught up)."""
        n = self.tick - e.at
        if n:
            s = e.stun if e.stun < n else n
            e.stun -= s
            e.clock += n - s
            e.at = self.tick

    def _near(self, ox: int, oy: int, ow: int, oh: int, r2: int) -> bool:
        p, k = self.player, self.k
        dx = ox + (ow * k.SP) // 2 - (p.sx + k.pw // 2)
        dy = oy + (oh * k.SP) // 2 - (p.sy + k.ph // 2)
        return dx * dx + dy * dy <= r2

    def _special(self, pressed_now: bool, events: list[str]) -> None:
        sp = self.physics["special"]
        if self.special_cooldown > 0:
            self.special_cooldown -= 1
        if self.special_timer > 0:
            self.special_timer -= 1
        pressed = pressed_now and not self.special_held
        self.special_held = pressed_now
        if not pressed or self.special_cooldown > 0:
            return
        self.special_cooldown, self.special_timer = sp["cooldown_frames"], sp["active_frames"]
        events.append("special")
        r2 = (sp["radius"] * self.k.SP) ** 2
        for e in self.enemies:
            if not e.alive:
                continue
            self._sync(e)
            sx, sy, _ = e.place()
            if self._near(sx, sy, e.w, e.h, r2):
                e.stun = sp["stun_frames"]
                events.append("stun")
        b = self.boss
        if b is not None and b.alive and b.stun == 0 and self._near(b.sx, b.sy, b.w, b.h, r2):
            b.stun = sp["boss_stun_frames"]
            events.append("stun")

    def _candidates(self, after: int) -> list[Enemy]:
        """Enemies (index > after, in order) whose path may touch the player now."""
        p, k = self.player, self.k
        cols = self.columns
        x0 = max(p.sx // k.T, 0)
        x1 = min((p.sx + k.pw - 1) // k.T, len(cols) - 1)
        found: set[int] = set()
        for tx in range(x0, x1 + 1):
            found.update(cols[tx])
        if not found:
            return []
        top, bottom = p.sy, p.sy + k.ph
        out = []
        for i in sorted(found):
            e = self.enemies[i]
            if i > after and e.alive and e.box[2] < bottom and top < e.box[3]:
                out.append(e)
        return out

    def _touch_enemies(self, jump: bool, fall: int, prev_bottom: int, events: list[str]) -> None:
        p, k = self.player, self.k
        sp = k.SP
        pending = self._candidates(-1)
        while pending:
            e = pending.pop(0)
            if not e.alive:
                continue
            self._sync(e)
            ex, ey, _ = e.place()
            ew, eh = e.w * sp, e.h * sp
            if not (p.sx < ex + ew and ex < p.sx + k.pw and p.sy < ey + eh and ey < p.sy + k.ph):
                continue
            where = (p.sx, p.sy)
            if fall > 0 and prev_bottom <= ey + STOMP_MARGIN_PX * sp:
                e.alive = False
                self.score += self.physics["score"]["stomp"]
                events.append("stomp")
                self._bounce(jump)
            elif e.stun == 0:
                side = -1 if p.sx + k.pw // 2 < ex + ew // 2 else 1
                events += sim._hurt(self.world, k, side)
            if (p.sx, p.sy) != where:  # respawned: other enemies may touch the new spot
                pending = self._candidates(e.n)

    def _bounce(self, jump: bool) -> None:
        p = self.player
        p.svy = -(self.k.jump_v if jump else self.stomp_bounce)
        p.rising, p.on_ground = jump, False

    # ---- boss ---------------------------------------------------------------------------------

    def _player_side(self, b: Boss) -> int:
        p, k = self.player, self.k
        return -1 if p.sx + k.pw // 2 < b.sx + (b.w * k.SP) // 2 else 1

    def _move_boss(self, b: Boss) -> None:
        k, bp = self.k, b.spec
        if b.invuln > 0:
            b.invuln -= 1
        if b.stun > 0:
            b.stun -= 1
            b.mode = "stunned"
            b.sy = b.ground_y
            return
        b.clock += 1
        mode, nxt, t, n = b.at()
        b.mode, b.next = mode, nxt
        if mode == "windup" and t == 0:
            b.dir = self._player_side(b)
        speed = _half_up((bp["speed_phase2"] if b.phase == 2 else bp["speed"]) * k.SP)
        if mode in ("walk", "charge", "hop", "slam"):
            b.sx += b.dir * speed * (2 if mode == "charge" else 1)
        if b.sx < b.arena[0]:
            b.sx, b.dir = b.arena[0], 1
        if b.sx > b.arena[1]:
            b.sx, b.dir = b.arena[1], -1
        high = 0
        if mode == "hop":
            high = bp["hop_height_tiles"]
        elif mode == "slam":
            high = bp.get("slam_height_tiles", 0)
        hop = math.floor(high * k.T)
        b.sy = b.ground_y - ((4 * hop * t * (n - t)) // (n * n) if high else 0)
        if mode == "shoot" and t % (n // (4 if b.phase == 2 else 2)) == 0:
            self._shoot(b)
        if mode == "slam" and t == n - 1:
            self._slam(b)
        if mode == "lob" and t % (n // (2 if b.phase == 2 else 1)) == 0:
            self._lob(b, bp)

    def _shot(self, sx: int, sy: int, svx: int, svy: int, g: int) -> None:
        base = self.physics["boss"]
        self.shots.append(Shot(sx, sy, svx, svy, g, base["shot_size"], base["shot_life"]))

    def _shoot(self, b: Boss) -> None:
        sp, base = self.k.SP, self.physics["boss"]
        size = base["shot_size"] * sp
        d = self._player_side(b)
        sx = b.sx - size if d < 0 else b.sx + b.w * sp
        self._shot(sx, b.sy + (b.h * sp - size) // 2, d * _half_up(base["shot_speed"] * sp), 0, 0)

    def _slam(self, b: Boss) -> None:
        sp, base = self.k.SP, self.physics["boss"]
        size = base["shot_size"] * sp
        speed = _half_up(base["shot_speed"] * sp)
        y = b.ground_y + b.h * sp - size
        self._shot(b.sx - size, y, -speed, 0, 0)
        self._shot(b.sx + b.w * sp, y, speed, 0, 0)

    def _lob(self, b: Boss, bp: dict[str, Any]) -> None:
        p, k = self.player, self.k
        sp = k.SP
        size = bp["shot_size"] * sp
        g, frames = _half_up(bp["lob_gravity"] * sp), bp["lob_frames"]
        x0 = b.sx + (b.w * sp - size) // 2
        reach = _half_up(bp["shot_speed"] * sp)
        svx = min(max((p.sx + (k.pw - size) // 2 - x0) // frames, -reach), reach)
        self._shot(x0, b.sy - size, svx, -((g * frames) // 2), g)

    def _touch_boss(
        self, b: Boss, jump: bool, fall: int, prev_bottom: int, events: list[str]
    ) -> None:
        p, k = self.player, self.k
        bw, bh = b.w * k.SP, b.h * k.SP
        if not (
            p.sx < b.sx + bw and b.sx < p.sx + k.pw and p.sy < b.sy + bh and b.sy < p.sy + k.ph
        ):
            return
        if fall > 0 and prev_bottom <= b.sy + STOMP_MARGIN_PX * k.SP:
            self._bounce(jump)
            self._hit_boss(b, events)
        elif b.stun == 0:
            events += sim._hurt(self.world, k, self._player_side(b))

    def _hit_boss(self, b: Boss, events: list[str]) -> None:
        bp = b.spec
        if b.invuln > 0:
            return
        b.hp -= 1
        b.invuln = bp["invuln_frames"]
        events.append("boss_hit")
        if b.hp * 2 <= b.max_hp:
            b.phase = 2
        if b.hp > 0:
            return
        b.alive, b.mode, b.stun, b.defeat = False, "defeated", 0, bp["defeat_frames"]
        self.shots = []
        self.player.invuln = max(self.player.invuln, b.defeat + 1)
        self.score += self.physics["score"]["boss"]
        events.append("boss_defeated")

    def _move_shots(self, events: list[str]) -> None:
        p, k, world = self.player, self.k, self.world
        sp, t = k.SP, k.T
        kept = []
        for s in self.shots:
            s.sx += s.svx
            s.sy += s.svy
            s.svy += s.g
            s.life -= 1
            cx, cy = (s.sx + (s.w * sp) // 2) // t, (s.sy + (s.h * sp) // 2) // t
            if s.life <= 0 or cy >= world.height or world.tile(cx, cy) in SOLID:
                continue
            w, h = s.w * sp, s.h * sp
            if not (
                p.sx < s.sx + w and s.sx < p.sx + k.pw and p.sy < s.sy + h and s.sy < p.sy + k.ph
            ):
                kept.append(s)
                continue
            events += sim._hurt(world, k, 1 if s.svx > 0 else -1)
        self.shots = kept

    # ---- treats -------------------------------------------------------------------------------

    def _collect(self, events: list[str]) -> None:
        p, k = self.player, self.k
        t = k.T
        y0, y1 = p.sy // t, (p.sy + k.ph - 1) // t
        if y1 < self.treat_cells[0] or y0 > self.treat_cells[1]:
            return
        x0, x1 = p.sx // t, (p.sx + k.pw - 1) // t
        got = []
        for ty in range(y0, y1 + 1):
            for tx in range(x0, x1 + 1):
                here = self.treats.get((tx, ty))
                if here is not None:
                    got += here
        for i in sorted(got) if len(got) > 1 else got:
            item = self.items[i]
            if not item["taken"]:
                item["taken"] = True
                self.score += self.physics["score"]["treat"]
                events.append("collect")

    # ---- state rows (tests) -------------------------------------------------------------------

    def row(self, events: Sequence[str]) -> str:
        """Everything sim.js keeps, as one line: tools/replay.mjs prints the same for each frame."""
        p, w = self.player, self.world
        parts: list[Any] = [
            self.frame, w.status, self.score, w.lives, p.sx, p.sy, p.svx, p.svy, int(p.on_ground),
            int(p.rising), p.coyote, p.jump_buffer, int(p.jump_held), p.facing, p.stun, p.invuln,
            p.hp, self.special_cooldown, self.special_timer, int(self.special_held),
            w.checkpoint[0], w.checkpoint[1],
            "".join("1" if i["taken"] else "0" for i in self.items),
        ]  # fmt: skip
        for e in self.enemies:
            self._sync(e)
            sx, sy, facing = e.place()
            parts += [int(e.alive), sx, sy, e.stun, e.clock, facing]
        b = self.boss
        if b is not None:
            parts += [b.design, b.sx, b.sy, b.hp, b.phase, b.mode, b.next, b.invuln, b.stun,
                      b.clock, b.dir, int(b.alive), b.defeat]  # fmt: skip
        for s in self.shots:
            parts += [s.sx, s.sy, s.svx, s.svy, s.life]
        parts.append("|".join(events))
        return ",".join(str(v) for v in parts)


def _treat_cells(items: list[dict[str, Any]]) -> tuple[int, int]:
    rows = [i["y"] for i in items if i["type"] == "treat"]
    return (min(rows), max(rows)) if rows else (0, -1)


def _columns(enemies: list[Enemy], width: int, tile: int) -> list[list[int]]:
    """For each tile column, the enemies whose whole path reaches into it."""
    cols: list[list[int]] = [[] for _ in range(width)]
    for i, e in enumerate(enemies):
        x0, x1 = max(e.box[0] // tile, 0), min(e.box[1] // tile, width - 1)
        for tx in range(x0, x1 + 1):
            cols[tx].append(i)
    return cols


# ---- traces and replays ------------------------------------------------------------------------


def decode(runs: Iterable[Sequence[int]]) -> Iterator[int]:
    """Each frame's input bits from run-length pairs [count, mask]."""
    for count, mask in runs:
        for _ in range(count):
            yield mask


def encode(masks: Iterable[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for mask in masks:
        if runs and runs[-1][1] == mask:
            runs[-1][0] += 1
        else:
            runs.append([1, mask])
    return runs


def mask_of(keys: str) -> int:
    """'LRJS' letters (tools/trace.mjs, the bot) as input bits."""
    return sum(bit for letter, bit in KEY_BITS if letter in keys)


@dataclass(frozen=True, slots=True)
class Replay:
    """How a trace ended: `status` after its last frame (`playing` when it never ended), `ended_at`
    the frame the level was decided (0: never), and the frames the trace held."""

    status: str
    score: int
    lives: int
    frames: int
    ended_at: int


def replay(
    level: dict[str, Any],
    physics: dict[str, Any],
    runs: Iterable[Sequence[int]],
    *,
    lives: int | None = None,
) -> Replay:
    """Play `runs` ([count, mask] pairs) from the level's start, as the game does: `lives` carried
    in (default physics.json's). Frames after the level was decided are counted, not played."""
    game = Game(level, physics)
    if lives is not None:
        game.lives = lives
    frames = ended = 0
    step = game.step
    world = game.world
    for count, mask in runs:
        frames += count
        if ended:
            continue
        for i in range(count):
            step(mask)
            if world.status != "playing":
                ended = frames - count + i + 1
                break
    return Replay(status=world.status, score=game.score, lives=world.lives, frames=frames,
                  ended_at=ended)  # fmt: skip
