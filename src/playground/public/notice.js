// One line at the bottom of the page for what just happened: confirmations are announced politely,
// errors at once. A newer notice replaces an older one; each fades after a while.

let timer = null;

export function showNotice(text, kind = 'info') {
  const polite = document.getElementById('notice');
  const urgent = document.getElementById('alert');
  const target = kind === 'error' ? urgent : polite;
  const other = kind === 'error' ? polite : urgent;
  other.textContent = '';
  target.textContent = text;
  target.parentElement.classList.toggle('error', kind === 'error');
  target.parentElement.hidden = false;
  clearTimeout(timer);
  timer = setTimeout(
    () => {
      target.textContent = '';
      target.parentElement.hidden = true;
    },
    kind === 'error' ? 12_000 : 6_000,
  );
}

/** Says what happened with a playground answer: `success` when it worked, its error when not. */
export function report(answer, success) {
  if (answer.ok) {
    if (success) showNotice(success);
  } else showNotice(answer.error ?? 'That did not work.', 'error');
  return answer;
}
