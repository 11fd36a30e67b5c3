/**
 * An audit row in words for HR: whose clocking, which day and time, from the request the log kept
 * ("POST /clockings {json}"). The raw request stays one click away; anything this cannot read
 * yields no details rather than a guess.
 */
export interface AuditDetails {
  /** The person's name when known, else the reference as sent ("76515", "@badge-number=1955"). */
  who?: string;
  /** "2026-11-30 09:30" (the clock time as Protime counts it on that day). */
  when?: string;
}

type Ref = { id?: unknown; externalReferences?: Record<string, unknown> } | undefined;

function referenceText(r: Ref): string | undefined {
  if (!r || typeof r !== "object") return undefined;
  if (r.id !== undefined && r.id !== null) return String(r.id);
  const [name, value] = Object.entries(r.externalReferences ?? {})[0] ?? [];
  return name ? `${name}=${String(value)}` : undefined;
}

function clockText(minutes: number): string {
  const day = ((minutes % 1440) + 1440) % 1440;
  const pad = (n: number) => String(n).padStart(2, "0");
  const shift = minutes < 0 ? " −1d" : minutes >= 1440 ? " +1d" : "";
  return `${pad(Math.floor(day / 60))}:${pad(day % 60)}${shift}`;
}

export function detailsOf(request: string, personName: (id: string) => string | undefined): AuditDetails {
  const start = request.indexOf("{");
  if (start < 0) return {};
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(request.slice(start));
  } catch {
    return {};
  }
  if (!body || typeof body !== "object") return {};
  const ref = referenceText(body.person as Ref);
  const who = ref === undefined ? undefined : (personName(ref) ?? ref);
  const minutes = body.timeOfDayInMinutes;
  const when =
    typeof body.date === "string" ? (typeof minutes === "number" ? `${body.date} ${clockText(minutes)}` : body.date) : undefined;
  return { who, when };
}
