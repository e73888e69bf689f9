// The probe of the `rotation` section (issue 12 item 4: a kiosk's page rotation -> every tile
// of the new page live), injected with addInitScript into the kiosk's page. It only watches:
//   - the participants' <video data-user> elements (the client shows a page's videos with
//     style display: block and hides the others with display: none, in one place() call):
//     a mutation batch that shows at least one video is a page being shown, at that batch's
//     time;
//   - each shown video's next presented frame (requestVideoFrameCallback: composited for
//     display), and when the client's own state says the tile shows its video
//     (state().participants[].tile.videoVisible: else the canvas draws the avatar over it),
//     polled every 16 ms from the show until every shown tile says so (at most 5 s).
// A rotation is live when both hold for every video it showed. Only batches after
// window.__rot.armed = true count (the bench arms it once every publisher is decoding).
// Times are ms since navigation start. Read it with window.__rot.
(() => {
  'use strict';
  const R = (window.__rot = { armed: false, rotations: [] });
  const now = () => Math.round(performance.now() * 10) / 10;

  function watch(rotation, videos) {
    for (const v of videos) {
      const user = Number(v.dataset.user);
      if (!v.requestVideoFrameCallback) { rotation.frames[user] = null; continue; }
      v.requestVideoFrameCallback(() => { if (rotation.frames[user] === undefined) rotation.frames[user] = now(); });
    }
    const poll = () => {
      const s = window.groupcall && window.groupcall.state();
      const shown = new Set(videos.map((v) => Number(v.dataset.user)));
      const tiles = s ? s.participants.filter((p) => shown.has(p.id)) : [];
      if (tiles.length === shown.size && tiles.every((p) => p.tile && p.tile.videoVisible)) {
        rotation.uiLive = now();
      } else if (performance.now() - rotation.t < 5000) {
        setTimeout(poll, 16);
      }
    };
    setTimeout(poll, 0);
  }

  new MutationObserver((mutations) => {
    const shown = [];
    for (const m of mutations) {
      const v = m.target;
      if (!(v instanceof HTMLVideoElement) || !v.dataset.user) continue;
      const visible = v.style.display !== 'none';
      if (visible && !v.__rotShown) shown.push(v);
      v.__rotShown = visible;
    }
    if (!shown.length || !R.armed) return;
    const rotation = { t: now(), users: shown.map((v) => Number(v.dataset.user)), frames: {}, uiLive: null };
    R.rotations.push(rotation);
    watch(rotation, shown);
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['style'] });
})();
