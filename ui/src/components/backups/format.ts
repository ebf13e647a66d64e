// How backups are described: this computer's local time and a readable size.
import { inZone, localZone } from "../../lib/labels";

export function localTime(utc: string): string {
  return inZone(utc, localZone());
}

export function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
