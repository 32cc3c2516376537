import { loadHymenoptera, pureJsCodec, defaultImageCodec } from './datasets';
(async () => {
  for (const codec of [defaultImageCodec(), pureJsCodec]) {
    const t = Date.now();
    const d = await loadHymenoptera({ root: '/work/shared/datasets', codec });
    console.log(codec.name, d.train.images.shape, d.val.images.shape, 'skipped', d.skipped.length, ((Date.now() - t) / 1000).toFixed(1), 's');
  }
})();
