// Build: web/src plus yivi-frontend's browser bundle into web/dist, ready to host as static files.
// The host adds config.json ({"issuanceRequestUrl": "..."}) next to index.html; serve.mjs does so.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const yivi = join(here, 'node_modules', '@privacybydesign', 'yivi-frontend', 'dist');

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
for (const file of ['index.html', 'app.js', 'i18n.js', 'style.css']) {
  cpSync(join(here, 'src', file), join(dist, file));
}
cpSync(join(yivi, 'yivi.js'), join(dist, 'yivi.js'));
cpSync(join(yivi, 'yivi.js.LICENSE.txt'), join(dist, 'yivi.js.LICENSE.txt'));
console.log(`web: built ${dist}`);
