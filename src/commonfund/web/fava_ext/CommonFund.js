// commonfund's module in Fava (served by the CommonFund extension; Fava loads it on every page).
// In read-only mode (`commonfund serve` without --edit) it takes the editor and import entries out of
// Fava's sidebar, and says in Chinese on the editor and import pages that the books cannot be changed
// here, and who can change them. The server refuses every write anyway (HTTP 401, with the same sentence).
// On the 分户账 page it fills the 房号 search box's suggestions as one types, a few at a time from the
// extension's units.json endpoint (the page itself does not carry every door number of the register).

const STYLE_ID = "commonfund-read-only-style";
const NOTE_ID = "commonfund-read-only-note";
let mode = null;

function readOnlyStyle() {
  if (document.getElementById(STYLE_ID)) return;
  const style = document.createElement("style");
  style.id = STYLE_ID;
  // the entries (and their "+" add-entry and export buttons) for the editor and the import page
  style.textContent = `
    aside li:has(> a[href*="/editor/"]), aside li:has(> a[href*="/import/"]) { display: none !important; }
    #${NOTE_ID} { margin: .5em 0 1em; padding: .6em 1em; border: 1px solid #e0b252; border-radius: 4px;
                  background: #fff8e6; color: #5c4300; }
  `;
  document.head.append(style);
}

function suggestUnits(ctx) {
  const input = document.querySelector('#unit-search input[name="unit"]');
  const list = document.getElementById("cf-units");
  if (!input || !list || input.dataset.suggest) return;
  input.dataset.suggest = "on";
  let asked = null;
  let timer = null;
  const ask = async () => {
    const q = input.value.trim();
    if (q === asked) return;
    asked = q;
    let answer;
    try {
      answer = await ctx.api.get("units.json", { q });
    } catch {
      asked = null; // ask again on the next keystroke or focus
      return;
    }
    if (asked !== q) return; // a later keystroke asked again meanwhile
    list.replaceChildren(...answer.units.map((unit) => Object.assign(document.createElement("option"), { value: unit })));
    input.dataset.suggested = String(answer.units.length);
  };
  input.addEventListener("focus", ask);
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 120);
  });
}

function currentReport() {
  const path = window.location.pathname.split("/").filter(Boolean);
  return path.length > 1 ? path[1] : "";
}

function explain() {
  const report = currentReport();
  if (report !== "editor" && report !== "import") return;
  const article = document.querySelector("article");
  if (!article) return;
  // Fava's own English sentence when no importer is configured
  for (const p of article.querySelectorAll("p")) {
    if (p.textContent.includes("No importers configured")) p.remove();
  }
  if (document.getElementById(NOTE_ID)) return;
  const note = document.createElement("p");
  note.id = NOTE_ID;
  note.textContent = report === "editor" ? mode.editor : mode.message;
  article.prepend(note);
}

let observer = null;

// Read-only is the default: the entries are hidden from the moment the module loads, not only once the server
// has answered (a supervisor would otherwise see, and could click, 编辑器 and 导入 for a moment); edit mode
// (`serve --edit`) shows them again.
readOnlyStyle();

export default {
  async init(ctx) {
    mode = await ctx.api.get("mode", {});
    if (!mode.read_only) {
      document.getElementById(STYLE_ID)?.remove();
      return;
    }
    readOnlyStyle();
    const article = document.querySelector("article");
    if (article && !observer) {
      observer = new MutationObserver(() => explain());
      observer.observe(article, { childList: true, subtree: true });
    }
  },
  onPageLoad() {
    if (mode && mode.read_only) explain();
  },
  onExtensionPageLoad(ctx) {
    suggestUnits(ctx);
  },
};
