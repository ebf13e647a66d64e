/// A duration in seconds as people read it: "45 s", "12 min", "3.5 h", "2.1 days".
export function duration(seconds: number | null): string {
  if (seconds === null) return "–";
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}
