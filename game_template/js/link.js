// The game's public link, for sharing: kept apart from share.js so the end screen can show it to
// copy by hand even when share.js (packaged: in the late chunk) never arrives.

/** The game's public link: the page's og:url (the short link) when it has one, else this page. */
export function shareLink() {
  const meta = document.querySelector('meta[property="og:url"]');
  return (meta && meta.content) || location.href;
}
