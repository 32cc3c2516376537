/**
 * HTML built with a tagged template that escapes every interpolated value unless it is already `SafeHtml`, so
 * gradebook text (learner ids, feedback, error messages: learner-influenced, untrusted) cannot inject markup.
 */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

export type Interpolation = SafeHtml | string | number | null | undefined | readonly Interpolation[];

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

function render(value: Interpolation): string {
  if (value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly Interpolation[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, index) => {
    out += render(value) + strings[index + 1]!;
  });
  return new SafeHtml(out);
}

/**
 * JSON for a `<script type="application/json">` element: `<`, `>` and `&` become \u escapes so that no data can
 * close the element (`</script>`) or open a comment; JSON.parse reads them back unchanged.
 */
export function jsonForScript(value: unknown): SafeHtml {
  const json = JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return new SafeHtml(json);
}

/** A trusted script (a bundled library) inlined in a `<script>` element; `</script` cannot appear in it. */
export function inlineScript(source: string): SafeHtml {
  return new SafeHtml(source.replace(/<\/script/gi, '<\\/script'));
}
