/**
 * A channel's URL and secret sealed at rest. The associated data names the repository, channel and
 * part, so a sealed URL copied to another channel (or into the secret column) does not open.
 */
import type { SecretBox } from "../secrets/secret-box.ts";

export type ChannelPart = "url" | "secret";

export function channelAad(repo: string, name: string, part: ChannelPart): string {
  return `notify:${repo.toLowerCase()}:${name.toLowerCase()}:${part}`;
}

export function sealChannel(box: SecretBox, repo: string, name: string, part: ChannelPart, value: string): string {
  return box.seal(value, channelAad(repo, name, part));
}

export function openChannel(box: SecretBox, repo: string, name: string, part: ChannelPart, sealed: string): string {
  return box.open(sealed, channelAad(repo, name, part));
}
