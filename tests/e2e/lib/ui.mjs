// UI actions shared by the scenarios: they go through the real ImGui widgets (named regions
// from window.groupcall.regions()), the mouse, the keyboard and CDP text input.
import { clickRegion, getRegions, region, waitFor } from './harness.mjs';

export async function hasRegion(page, name) {
  return (await getRegions(page)).some((r) => r.name === name);
}

/**
 * The element typed text goes into has the focus: #gc-ime, or the accessibility mirror's
 * copy of the active canvas field (issue 14, web/js/a11y.js: data-gc-field).
 */
export const textElementFocused = () => {
  const a = document.activeElement;
  return !!a && (a.id === 'gc-ime' || a.dataset?.gcField === '1');
};

/** Opens the side panel on the chat tab (Chat button) unless the chat box is showing. */
export async function openChat(page) {
  if (await hasRegion(page, 'chat/input')) return;
  await clickRegion(page, 'controls/chat');
  await region(page, 'chat/input');
}

/** Opens the side panel on the files tab (Files button) unless the upload button shows. */
export async function openFiles(page) {
  if (await hasRegion(page, 'files/upload')) return;
  await clickRegion(page, 'controls/files');
  await region(page, 'files/upload');
}

/** Focuses the chat box by clicking it; waits until the IME textarea has the focus. */
export async function focusChat(page) {
  await openChat(page);
  await clickRegion(page, 'chat/input');
  await waitFor(page, () => page.evaluate(textElementFocused), { timeout: 5000, what: 'IME textarea focused' });
}

/**
 * Types text into the chat box as committed IME text (CDP Input.insertText, what an input
 * method does for Chinese and emoji) and presses Enter.
 */
export async function typeChat(page, text) {
  await focusChat(page);
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Input.insertText', { text });
  } finally {
    await cdp.detach();
  }
  await page.keyboard.press('Enter');
}

/** Lines of state.chat with exactly this text. */
export function linesWith(state, text) {
  return (state?.chat || []).filter((c) => c.text === text);
}
