// Theme palettes: sky, parallax layers, tiles and accents for park, beach, snow, city and space.
// Plain data only; background.js and tiles.js turn it into pixels.

export const THEMES = {
  park: {
    sky: ['#7ec8f0', '#d4f1ff'], far: '#8fc9a0', mid: '#5aa469', near: '#3e8948', deco: 'clouds',
    top: '#63c74d', topDark: '#3e8948', fill: '#8b5a2b', fillDark: '#6b4220', speck: '#a0703c',
    platform: '#b86f50', platformDark: '#743f39', spike: '#c2c3c7', ink: '#1a1c2c',
    walker: '#a0703c', walkerDark: '#6b4220', flyer: '#ffcd75', flyerDark: '#333c57', jumper: '#38b764',
    jumperDark: '#257179', boss: '#5d275d', bossDark: '#b13e53', foeAccent: '#ef7d57', foeLight: '#f4f4f4',
    bush: '#63c74d', bushDark: '#257179',
  },
  beach: {
    sky: ['#4fb6e8', '#ffe9b8'], far: '#2a8fbd', mid: '#3aa7c9', near: '#e8c26a', deco: 'clouds',
    top: '#f7dc8c', topDark: '#e8b85a', fill: '#d9a557', fillDark: '#b9853f', speck: '#f2cf83',
    platform: '#a0703c', platformDark: '#6b4220', spike: '#f4f4f4', ink: '#1a1c2c',
    walker: '#e43b44', walkerDark: '#9e2835', flyer: '#f4f4f4', flyerDark: '#94b0c2', jumper: '#ff9e5e',
    jumperDark: '#c75b39', boss: '#b13e53', bossDark: '#7e2553', foeAccent: '#ffcd75', foeLight: '#ffffff',
    bush: '#38b764', bushDark: '#257179',
  },
  snow: {
    sky: ['#9bb7d4', '#eef4fb'], far: '#c7d6ea', mid: '#94b0c2', near: '#566c86', deco: 'snowflakes',
    top: '#f4f8ff', topDark: '#c7d6ea', fill: '#566c86', fillDark: '#333c57', speck: '#73869e',
    platform: '#94b0c2', platformDark: '#566c86', spike: '#dff6f5', ink: '#1a1c2c',
    walker: '#333c57', walkerDark: '#1a1c2c', flyer: '#dfe6ee', flyerDark: '#94b0c2', jumper: '#94b0c2',
    jumperDark: '#566c86', boss: '#c7d6ea', bossDark: '#566c86', foeAccent: '#ef7d57', foeLight: '#ffffff',
    bush: '#94b0c2', bushDark: '#566c86',
  },
  city: {
    sky: ['#2b2d5c', '#f08a5d'], far: '#5d4a7a', mid: '#3b3556', near: '#262238', deco: 'stars',
    top: '#8a8fa3', topDark: '#5c6075', fill: '#4a4e69', fillDark: '#363a50', speck: '#9a8c98',
    platform: '#c9ada7', platformDark: '#9a8c98', spike: '#f2e9e4', ink: '#141320',
    walker: '#6d6a75', walkerDark: '#3f3d47', flyer: '#8a93b5', flyerDark: '#4b5476', jumper: '#94b0c2',
    jumperDark: '#566c86', boss: '#5d275d', bossDark: '#b13e53', foeAccent: '#ff77a8', foeLight: '#f4f4f4',
    bush: '#38b764', bushDark: '#257179',
  },
  space: {
    sky: ['#0b0b23', '#2a1b4a'], far: '#3b2a66', mid: '#3a2d6b', near: '#2a2050', deco: 'stars',
    top: '#9d8fd1', topDark: '#6b5b95', fill: '#433870', fillDark: '#2f2752', speck: '#5d4f94',
    platform: '#73eff7', platformDark: '#29adff', spike: '#ff77a8', ink: '#05050f',
    walker: '#a7f070', walkerDark: '#38b764', flyer: '#c2c3c7', flyerDark: '#5f574f', jumper: '#29adff',
    jumperDark: '#1d2b53', boss: '#ff77a8', bossDark: '#7e2553', foeAccent: '#ffec27', foeLight: '#fff1e8',
    bush: '#a7f070', bushDark: '#38b764',
  },
};

export function theme(name) {
  return THEMES[name] || THEMES.park;
}

// A small seeded generator (mulberry32): the same game always draws the same scenery.
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function canvas(w, h) {
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  const ctx = c.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  return [c, ctx];
}
