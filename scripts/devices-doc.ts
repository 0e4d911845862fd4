// `npm run docs:devices`: writes the channel table of docs/devices.md from the protocol's
// DEVICE_CHANNELS, so the vendors' document cannot drift from what the gateway accepts.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEVICE_CHANNELS, TOPIC_ROOT } from '@yichuang/protocol';

const DOC = fileURLToPath(new URL('../docs/devices.md', import.meta.url));
const START = '<!-- channels:start -->';
const END = '<!-- channels:end -->';

/** The channel table, one row per channel, with its JSON Schema. */
export function channelTable(): string {
  const rows = Object.entries(DEVICE_CHANNELS).map(([name, c]) => {
    const [kind, channel] = name.includes('/') ? name.split('/') : ['every device', name];
    const topic = `${TOPIC_ROOT}/{hallId}/${kind === 'every device' ? '{kind}' : kind}/{deviceId}/${channel}`;
    return `| \`${topic}\` | ${c.direction === 'device-to-hub' ? 'device → hub' : 'hub → device'} | ${c.qos} | ${c.retain ? 'yes' : 'no'} | ${c.doc} |`;
  });
  const schemas = Object.entries(DEVICE_CHANNELS).map(
    ([name, c]) =>
      `### \`${name}\`\n\n\`\`\`json\n${JSON.stringify(z.toJSONSchema(c.schema, { io: 'input' }), null, 2)}\n\`\`\``,
  );
  return [
    START,
    '| topic | direction | QoS | retained | what |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '## Payload schemas (JSON Schema, generated)',
    '',
    ...schemas,
    END,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const doc = await readFile(DOC, 'utf8');
  const next = doc.slice(0, doc.indexOf(START)) + channelTable() + doc.slice(doc.indexOf(END) + END.length);
  await writeFile(DOC, next);
  console.log('docs/devices.md: channel table written');
}
