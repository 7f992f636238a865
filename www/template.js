// The markup of <ganvas-demo>'s shadow root. Styles are a file (ganvas.css), not inline, so
// that the element works under a strict Content-Security-Policy. Values that come from the
// crate (recipes, settings, score interval) are filled in when the model is ready.
export const TEMPLATE = `
<link rel="stylesheet" href="${new URL('ganvas.css', import.meta.url).href}">
<div class="ganvas" data-theme="dark">
  <div class="status" part="status" role="status"><span class="backend">Starting…</span> <span class="reason"></span><div class="message"></div>
    <div class="notice" hidden><span class="notice-text"></span> <button class="notice-yes" type="button"></button> <button class="notice-no" type="button"></button></div>
  </div>
  <div class="row">
    <figure class="samples" part="grid">
      <div class="grid-box" tabindex="0" role="group" aria-roledescription="digit grid" aria-label="Generated digits: click one, or use the arrow keys and Enter, to explore it; shift-click or Shift+Enter a second to morph between the two">
        <canvas class="grid" width="224" height="224" aria-hidden="true" title="Click a digit to explore it; shift-click a second to morph"></canvas>
        <div class="cell-focus" hidden></div>
      </div>
      <div class="cell-said visually-hidden" aria-live="polite"></div>
      <figcaption>Step <b class="step">0</b> · <span class="elapsed" title="Training time since this run started">0 s</span> · <span class="speed">–</span> · <span class="shown"></span></figcaption>
      <div class="picker" role="group" aria-label="Digit the grid draws" hidden></div>
      <div class="train-only timelapse" title="Training timelapse: the grid as it was, from the model's first grid to now">
        <canvas class="timelapse-frame" width="112" height="112" title="The grid at the chosen step"></canvas>
        <div class="timelapse-side">
          <div><b>Timelapse</b><br><span class="timelapse-step">step 0 → now</span></div>
          <input class="timelapse-t" type="range" min="0" max="0" step="1" value="0" aria-label="Timelapse, step 0 → now" disabled>
          <div class="timelapse-ends"><span class="timelapse-from">step 0</span><span>now</span></div>
          <button class="timelapse-png" type="button" title="Up to 16 frames of the timelapse, each labelled with its step" disabled>Contact sheet (PNG)</button>
          <button class="timelapse-webm" type="button" title="The timelapse as an animated WebM video" disabled>Video (WebM)</button>
        </div>
      </div>
    </figure>
    <div class="explore" part="explore">
      <p class="explore-hint">Click a digit of the grid (or focus the grid, choose one with the arrow keys and press Enter) to see it large, move it through its latent space and morph it into another.</p>
      <div class="explore-body">
        <div class="zoom-row">
          <canvas class="zoom" width="28" height="28" role="img" aria-label="The explored digit, large"></canvas>
          <div class="explore-buttons">
            <button class="random-z" type="button" title="A new random latent vector z for this digit (its label kept)">Random digit</button>
            <button class="reset-z" type="button" title="Back to the z of the digit's cell in the grid">Reset</button>
            <button class="morph-next" type="button" aria-pressed="false" title="The next digit chosen in the grid (click, tap or Enter) is morphed to, as shift-click does">Morph to…</button>
          </div>
        </div>
        <p class="slider-note"></p>
        <div class="sliders"></div>
        <div class="morph">
          <canvas class="morph-strip" width="280" height="28" role="img" aria-label="Ten steps from the explored digit to the second one"></canvas>
          <label>Morph <input class="morph-t" type="range" min="0" max="1" step="0.01" value="0"></label>
          <span class="morph-hint">Shift-click a second digit (or press Morph to…, then choose it) to morph between the two.</span>
        </div>
        <div class="nearest">
          <div class="nearest-caption">Nearest training digits (pixel distance)</div>
          <div class="nearest-digits"></div>
          <div class="nearest-note"></div>
          <div class="nearest-typical"></div>
        </div>
      </div>
    </div>
    <div class="train-only panel" part="panel">
      <div class="buttons">
        <button class="train" type="button">Train</button>
        <button class="step-once" type="button">Step</button>
        <button class="reset" type="button" title="Fresh random weights, trained at once with the chosen recipe">Train from scratch</button>
      </div>
      <label>Preset <select class="preset"><option value="tiny-conditional" title="G (100 + digit label)→256→784, D 784→256→1 with the label projected: told which digit to draw; the most steps per second">tiny-conditional</option><option value="conditional" title="G (100 + digit label)→256→512→784, D 784→256→1 with the label projected: told which digit to draw; shipped pretrained">conditional</option><option value="conv-conditional" title="G (100 + digit label)→7·7·16→14·14·8→28·28 by transposed convolutions, D 28·28→14·14·8→7·7·16→1 by convolutions, the label projected: smooth strokes, told which digit to draw; what Train from scratch trains">conv-conditional</option><option value="tiny" title="G 100→256→784, D 784→256→1">tiny</option><option value="standard" title="G 100→256→512→1024→784, D (2×784)→1024→512→256→1 on pairs of digits">standard</option><option value="conv" title="G 100→7·7·64→14·14·32→28·28 by transposed convolutions, D 28·28→14·14·32→7·7·64→1 by convolutions (DCGAN): smooth strokes; shipped pretrained">conv</option></select></label>
      <label>Data <select class="data-source" title="What the GAN learns to draw"><option value="mnist">MNIST digits</option><option value="own">Your images</option><option value="draw">Draw</option></select></label>
      <div class="own-data" hidden>
        <div class="buttons files-box">
          <label class="upload" title="PNG, JPEG, WebP or GIF images; or an MNIST-format IDX images file (.gz too) with its labels file">Images or IDX files <input class="data-files" type="file" multiple></label>
          <label class="upload" title="A folder of images: each subfolder a class (sorted by name), or no subfolders: no classes">A folder <input class="data-folder" type="file" webkitdirectory></label>
        </div>
        <div class="draw-box" hidden>
          <canvas class="draw-pad" width="280" height="280" role="img" aria-label="Drawing pad: draw with the mouse, a pen or a finger, then Add"></canvas>
          <div class="buttons">
            <label>Class <input class="draw-class" type="text" value="a" size="6" maxlength="20" aria-label="Class of the drawing"></label>
            <button class="draw-add" type="button" title="The drawing on the pad joins the training drawings, with this class">Add</button>
            <button class="draw-undo" type="button" title="Clears the pad, or takes back the last drawing added">Undo</button>
          </div>
          <div class="draw-thumbs" aria-label="The last drawings added"></div>
          <p class="draw-said" aria-live="polite"></p>
          <div class="buttons">
            <button class="draw-train" type="button" disabled>Use the drawings</button>
            <button class="draw-download" type="button" disabled title="The drawings, 28×28 as trained on, as an IDX images file and its labels file">Download as IDX</button>
          </div>
        </div>
        <canvas class="data-preview" width="224" height="224" hidden role="img" aria-label="The first 64 of your images, as they will be trained on"></canvas>
        <p class="data-said" aria-live="polite"></p>
      </div>
      <label>Recipe <select class="recipe" title="Settings Train from scratch starts with"></select></label>
      <label>Show <select class="view" title="Which generator the grid shows and the meter scores"><option value="average">average of G</option><option value="live">live G</option></select></label>
      <label>Backend <select class="backend-select"><option value="auto">auto</option><option value="webgpu">WebGPU</option><option value="cpu">CPU</option></select></label>
      <label>Batch size <input class="batch" type="number" min="1" max="1024" step="1"></label>
      <label>G learning rate <input class="lr-g" type="number" min="0.00001" max="0.01" step="0.00005"></label>
      <label>D learning rate <input class="lr-d" type="number" min="0.00001" max="0.01" step="0.00005"></label>
      <label>When hidden <select class="background" title="What training does while this tab is in the background"><option value="pause">pause</option><option value="throttle">slow down</option><option value="run">keep going</option></select></label>
      <div class="buttons">
        <button class="download" type="button">Download weights</button>
        <label class="upload">Upload weights <input class="upload-input" type="file" accept=".ganvas,.ckpt,application/octet-stream"></label>
      </div>
      <div class="share">
        <button class="copy-link" type="button" title="A link that trains this run again from fresh weights (preset, seed, recipe, settings, backend) and pauses at this step">Copy link</button>
        <input class="link" type="text" readonly hidden aria-label="Link to this run" title="A link that trains this run again: select it and copy">
      </div>
    </div>
  </div>
  <div class="train-only dview" part="dview">
    <div class="dview-caption"><b>D's view: how real D thinks each digit is</b> — border and number: D's probability "real", <span class="dview-scale"></span> 0 fake · 0.5 unsure · 1 real.<span class="dview-pack"></span> <span class="dview-note"></span></div>
    <div class="dview-rows">
      <div class="dview-row"><span class="dview-what" title="8 MNIST training digits, the same ones each time">Real</span><div class="dview-real"></div></div>
      <div class="dview-row"><span class="dview-what" title="8 digits of the generator the grid shows, from the same latent vectors each time (a conditional one asked for 0 to 7)">Generated</span><div class="dview-fake"></div></div>
    </div>
  </div>
  <div class="train-only chart-box" part="charts" data-empty>
    <p class="chart-note">Loss curves appear here once training starts.</p>
    <canvas class="chart" role="img" aria-label="Losses of D and G, and D's mean outputs, over the training steps"></canvas>
    <label class="smoothing">Smoothing <input class="smooth" type="range" min="0" max="0.99" step="0.01" value="0.9"></label>
  </div>
  <div class="train-only quality" part="quality" data-empty>
    <div class="quality-text">Digit quality: loading the judge…</div>
    <div class="quality-charts">
      <canvas class="score-chart" role="img" aria-label="Digit score over training steps" title="Digit score: exp(E[KL(p(y|x) ‖ p(y))]) from an MNIST classifier; 10 at most"></canvas>
      <canvas class="frechet-chart" role="img" aria-label="Fréchet distance over training steps" title="Fréchet distance between the classifier's features of the samples and of the MNIST test set"></canvas>
      <canvas class="histogram" role="img" aria-label="Share of the digits the judge reads as each class" title="Share of samples the classifier reads as each digit; grey ticks: real MNIST"></canvas>
    </div>
    <label>Score every <input class="score-every" type="number" min="0" step="100"> steps (0 = off)</label>
  </div>
</div>`;
