import { useState } from 'preact/hooks';

/**
 * The caller's own principal id, to hand to whoever shares a list with them, with a button that copies it.
 * Where the clipboard is not available (a plain-http origin other than localhost), the id is selected
 * instead, ready for Ctrl+C.
 */
export function YourId({ me }: { readonly me?: string }) {
  const [copied, setCopied] = useState<string>();
  if (!me) return null;
  const copy = async (event: Event) => {
    const code = (event.currentTarget as HTMLElement).parentElement?.querySelector('code');
    try {
      await navigator.clipboard.writeText(me);
      setCopied('Copied.');
    } catch {
      if (code) getSelection()?.selectAllChildren(code);
      setCopied('Selected: copy it with Ctrl+C.');
    }
  };
  return (
    <p class="your-id">
      <span>Your id:</span> <code>{me}</code>{' '}
      <button type="button" class="link" aria-label={`Copy your id, ${me}`} onClick={copy}>
        Copy
      </button>{' '}
      <span aria-live="polite" class="hint">
        {copied}
      </span>
    </p>
  );
}
