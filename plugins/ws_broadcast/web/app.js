// tickd chart page: history over REST, then live candles and signals over the
// /ws/candles WebSocket; reconnects with backoff when the daemon restarts.
(function () {
  'use strict';

  const params = new URLSearchParams(location.search);
  const token = params.get('token') || '';
  const HISTORY_LIMIT = 1000;
  const MAX_MARKERS = 300;
  const COLORS = { up: '#26a69a', down: '#ef5350', upVol: 'rgba(38,166,154,0.45)', downVol: 'rgba(239,83,80,0.45)' };

  // Exposed for tests and for curious users: what the page has drawn.
  const status = (window.__tickd = { candles: 0, updates: 0, lastUpdate: 0, signals: 0, state: 'connecting' });

  const el = (id) => document.getElementById(id);
  const symbolSelect = el('symbol');
  const intervalNav = el('intervals');

  let current = { symbol: params.get('symbol') || '', interval: params.get('interval') || '' };
  let lastCandle = null;
  let firstOpen = null;
  let markers = [];
  let socket = null;
  let backoffMs = 500;
  let reconnectTimer = null;
  let loadSeq = 0;

  const chart = LightweightCharts.createChart(el('chart'), {
    autoSize: true,
    layout: {
      background: { type: 'solid', color: '#0b0e14' },
      textColor: '#9aa3b5',
      fontFamily: '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif',
    },
    grid: { vertLines: { color: '#151b27' }, horzLines: { color: '#151b27' } },
    rightPriceScale: { borderColor: '#1e2533', scaleMargins: { top: 0.08, bottom: 0.26 } },
    timeScale: { borderColor: '#1e2533', timeVisible: true, secondsVisible: false, rightOffset: 6 },
    crosshair: { mode: LightweightCharts.CrosshairMode.Normal },
  });
  const candles = chart.addCandlestickSeries({
    upColor: COLORS.up,
    downColor: COLORS.down,
    borderVisible: false,
    wickUpColor: COLORS.up,
    wickDownColor: COLORS.down,
  });
  const volume = chart.addHistogramSeries({ priceFormat: { type: 'volume' }, priceScaleId: 'volume' });
  chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });

  function headers() {
    return token ? { Authorization: 'Bearer ' + token } : {};
  }

  async function getJson(path) {
    const res = await fetch(path, { headers: headers(), cache: 'no-store' });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error || res.status + ' ' + res.statusText);
    return body;
  }

  function setState(state, text) {
    status.state = state;
    const node = el('state');
    node.className = 'state ' + state;
    el('state-text').textContent = text || state;
  }

  function notice(text) {
    const node = el('notice');
    node.hidden = !text;
    node.textContent = text || '';
  }

  function precisionFor(price) {
    if (!price) return 2;
    const p = Math.ceil(-Math.log10(Math.abs(price))) + 3;
    return Math.min(10, Math.max(2, p));
  }

  function fmt(n, digits) {
    return Number(n).toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  function volumeBar(c) {
    return { time: c.time, value: c.volume, color: c.close >= c.open ? COLORS.upVol : COLORS.downVol };
  }

  function showQuote(c) {
    if (!c) return;
    const digits = candles.options().priceFormat.precision;
    el('last').textContent = fmt(c.close, digits);
    const node = el('change');
    if (firstOpen) {
      const pct = ((c.close - firstOpen) / firstOpen) * 100;
      node.textContent = (pct >= 0 ? '+' : '') + pct.toFixed(2) + '%';
      node.className = 'change ' + (pct >= 0 ? 'up' : 'down');
    }
    document.title = fmt(c.close, digits) + ' · ' + current.symbol + ' · tickd';
  }

  function showLegend(c) {
    const node = el('legend');
    if (!c) {
      node.innerHTML = '<b>' + current.symbol + ' · ' + current.interval + '</b>';
      return;
    }
    const digits = candles.options().priceFormat.precision;
    const v = (label, value) => label + ' <span class="v">' + value + '</span>';
    node.innerHTML =
      '<b>' + current.symbol + ' · ' + current.interval + '</b>' +
      v('O', fmt(c.open, digits)) + v('H', fmt(c.high, digits)) + v('L', fmt(c.low, digits)) +
      v('C', fmt(c.close, digits)) + v('Vol', fmt(c.volume, 2));
  }

  chart.subscribeCrosshairMove((param) => {
    const c = param && param.seriesData ? param.seriesData.get(candles) : null;
    const vol = param && param.seriesData ? param.seriesData.get(volume) : null;
    showLegend(c ? Object.assign({ volume: vol ? vol.value : 0 }, c) : lastCandle);
  });

  function addMarker(sig) {
    const buy = sig.side === 'buy';
    const sell = sig.side === 'sell';
    const iv = intervalSeconds(current.interval);
    markers.push({
      time: Math.floor(sig.time / iv) * iv,
      position: buy ? 'belowBar' : sell ? 'aboveBar' : 'inBar',
      color: buy ? COLORS.up : sell ? COLORS.down : '#f0b429',
      shape: buy ? 'arrowUp' : sell ? 'arrowDown' : 'circle',
      text: (sig.source || sig.side || '').split('/').pop(),
    });
    markers.sort((a, b) => a.time - b.time);
    if (markers.length > MAX_MARKERS) markers = markers.slice(-MAX_MARKERS);
    candles.setMarkers(markers);
    status.signals += 1;
  }

  function intervalSeconds(name) {
    const m = /^(\d+)([smhdw])$/.exec(name || '');
    if (!m) return 60;
    return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2]];
  }

  function applyCandle(c) {
    if (lastCandle && c.time < lastCandle.time) return; // stale update of an older bar
    candles.update(c);
    volume.update(volumeBar(c));
    if (!lastCandle || c.time > lastCandle.time) status.candles += 1;
    lastCandle = c;
    status.updates += 1;
    status.lastUpdate = Date.now();
    showQuote(c);
    showLegend(c);
  }

  async function loadHistory() {
    const seq = ++loadSeq;
    const { symbol, interval } = current;
    const path = '/candles/' + encodeURIComponent(symbol) + '/' + encodeURIComponent(interval) + '?limit=' + HISTORY_LIMIT;
    const body = await getJson(path + (token ? '&token=' + encodeURIComponent(token) : ''));
    if (seq !== loadSeq) return; // the user switched series meanwhile
    const data = body.candles || [];
    const digits = data.length ? precisionFor(data[data.length - 1].close) : 2;
    candles.applyOptions({ priceFormat: { type: 'price', precision: digits, minMove: Math.pow(10, -digits) } });
    candles.setData(data);
    volume.setData(data.map(volumeBar));
    markers = [];
    candles.setMarkers([]);
    lastCandle = data.length ? data[data.length - 1] : null;
    firstOpen = data.length ? data[0].open : null;
    status.candles = data.length;
    chart.timeScale().applyOptions({ secondsVisible: intervalSeconds(interval) < 60 });
    chart.timeScale().scrollToRealTime();
    notice(data.length ? '' : 'No candles yet for ' + symbol + ' ' + interval);
    showQuote(lastCandle);
    showLegend(lastCandle);
  }

  function subscribe() {
    if (socket && socket.readyState === WebSocket.OPEN)
      socket.send(JSON.stringify({ subscriptions: [{ symbol: current.symbol, interval: current.interval }] }));
  }

  function connect() {
    clearTimeout(reconnectTimer);
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/candles' +
      (token ? '?token=' + encodeURIComponent(token) : '');
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = async () => {
      backoffMs = 500;
      setState('live', 'live');
      subscribe();
      // Refill what was missed while disconnected.
      try { await loadHistory(); } catch (e) { notice(e.message); }
    };
    ws.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      if (msg.type === 'candle' && msg.symbol === current.symbol && msg.interval === current.interval) {
        applyCandle(msg.candle);
      } else if (msg.type === 'signal' && msg.symbol === current.symbol &&
                 (!msg.interval || msg.interval === current.interval)) {
        addMarker(msg);
      } else if (msg.type === 'error') {
        console.warn('tickd:', msg.message);
      }
    };
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      const wait = Math.min(backoffMs, 10000) * (0.75 + Math.random() * 0.5);
      backoffMs = Math.min(backoffMs * 2, 10000);
      setState('reconnecting', 'reconnecting in ' + Math.ceil(wait / 1000) + 's' + (ev.code === 1013 ? ' (too slow)' : ''));
      reconnectTimer = setTimeout(connect, wait);
    };
    ws.onerror = () => {}; // onclose follows and schedules the retry
  }

  function select(symbol, interval) {
    current = { symbol, interval };
    symbolSelect.value = symbol;
    for (const b of intervalNav.querySelectorAll('button')) b.classList.toggle('active', b.dataset.interval === interval);
    const q = new URLSearchParams(location.search);
    q.set('symbol', symbol);
    q.set('interval', interval);
    history.replaceState(null, '', '?' + q.toString());
    loadHistory().catch((e) => notice(e.message));
    subscribe();
  }

  async function init() {
    let info;
    for (;;) {
      try {
        info = await getJson('/info' + (token ? '?token=' + encodeURIComponent(token) : ''));
        break;
      } catch (e) {
        setState('error', e.message.startsWith('missing') || e.message.startsWith('wrong') ? 'token needed' : 'offline');
        await new Promise((r) => setTimeout(r, Math.min((backoffMs *= 2), 10000)));
      }
    }
    backoffMs = 500;
    for (const s of info.symbols) symbolSelect.add(new Option(s, s));
    for (const iv of info.intervals) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = iv;
      b.dataset.interval = iv;
      b.addEventListener('click', () => select(current.symbol, iv));
      intervalNav.appendChild(b);
    }
    symbolSelect.addEventListener('change', () => select(symbolSelect.value, current.interval));
    const symbol = info.symbols.includes(current.symbol) ? current.symbol : info.default_symbol;
    const interval = info.intervals.includes(current.interval) ? current.interval : info.default_interval;
    select(symbol, interval);
    connect();
  }

  init();
})();
