// Writes the Tauri configuration that `make package` lays over src-tauri/tauri.conf.json
// (`tauri build --config FILE`): what goes into the .deb and the .rpm beside the app binary.
// The generated icons' folder depends on this machine, so it is filled in here, and the
// committed tauri.conf.json stays the one `make run` uses.
//
// usage: node packaging/overlay.mjs OUT.json ICONS_DIR

import { writeFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const [out, icons] = process.argv.slice(2);
if (!out || !icons) {
  console.error('usage: node packaging/overlay.mjs OUT.json ICONS_DIR');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const linux = {
  // The CLI on PATH beside the app: a script running the app's binary as the CLI (`--cli`).
  files: { '/usr/bin/weft': resolve(here, 'weft') },
  // Claims weft:// links (MimeType) and hands them to the app (%u).
  desktopTemplate: resolve(here, 'weft.desktop'),
};
const config = {
  bundle: {
    active: true,
    targets: ['deb', 'rpm'],
    category: 'Productivity',
    shortDescription: 'Design and run workflows on your own machine',
    longDescription:
      'Weft is a local-first workflow designer and runner: draw a workflow on a canvas, run it ' +
      'with a Rust engine on this machine, and follow every run. Includes the weft command line.',
    publisher: 'Weft',
    license: 'MIT',
    icon: ['32x32.png', '64x64.png', '128x128.png', '128x128@2x.png', 'icon.png'].map((f) => resolve(icons, f)),
    // Installed in /usr/lib/Weft/ (the engine looks there: TemplateDirs::locate).
    // The fonts travel inside the binary (the UI's and the picture renderer's), not as files.
    resources: {
      [resolve(root, 'workflows-templates') + '/']: 'workflows-templates/',
    },
    linux: {
      deb: { ...linux, section: 'utils' },
      rpm: { ...linux },
    },
  },
};
writeFileSync(out, JSON.stringify(config, null, 2) + '\n');
