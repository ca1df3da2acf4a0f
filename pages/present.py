"""Presentation: pick slides and filters, present them full screen, take the deck away as PPTX."""

import html

import streamlit as st

from ui import figures
from ui.data import query
from ui.exports import PPTX_MIME, file_stem, pptx_download
from ui.lang import current, tr
from ui.page_end import stop_page
from ui.shell import SHOW_KEY, ensure_shell, presenter_view_open
from ui.widgets import PLOTLY_CONFIG, chart
from upr import deck_state, images, pptx_deck, slides
from upr.deck_state import INDEX_KEY
from upr.i18n import t

ensure_shell()

lang = current()
f = st.session_state["filters"]
SLIDES_KEY, PICK_KEY, KIND_KEY = "present_slides", "present_pick", "present_pptx_kind"
KEPT_KIND = "present_pptx_kept"  # the PPTX's kind of chart, kept like the deck across page switches

# The deck lives in plain session keys (deck_state), not in the multiselect's own state, which
# Streamlit drops as soon as another page is shown: leave and come back, the deck is as left.
chosen, index = deck_state.session_deck(st.session_state, dict(st.query_params), f.sur)
showing = presenter_view_open() and bool(chosen)


def fetch(name: str, *args: object) -> object:
    return query(name, *args)


def move(step: int) -> None:
    st.session_state[INDEX_KEY] = min(max(st.session_state[INDEX_KEY] + step, 0), len(chosen) - 1)


def pick_slides() -> None:
    deck_state.choose_slides(st.session_state, st.session_state[SLIDES_KEY])


def set_show(value: bool) -> None:
    st.session_state[SHOW_KEY] = value


def current_deck(show: bool) -> slides.Deck:
    return slides.Deck(tuple(chosen), index, lang, f, show)


def write_url() -> None:
    """Keep the deck in the address bar, so a reload (or a copied address) reopens it."""
    put, drop = deck_state.query_changes(dict(st.query_params), current_deck(showing))
    for name, value in put.items():
        st.query_params[name] = value
    for name in drop:
        del st.query_params[name]


def headline(text: str, size: str) -> None:
    st.html(f'<div style="font-size:{size};font-weight:700;line-height:1.2">{html.escape(text)}</div>')


write_url()
slide = figures.slide(chosen[index], f, lang) if chosen else None

if showing:
    # --- the presenter view: the shell has hidden the sidebar and the app's chrome ----------
    headline(slide.headline, "2.4rem")
    st.plotly_chart(
        slide.figure, key="present_chart", config=PLOTLY_CONFIG | {"displayModeBar": False}, width="stretch"
    )
    st.html(f'<div style="font-size:1.05rem;color:#333">{html.escape(slide.source)}</div>')
    prev, counter, nxt, hint, leave = st.columns([1, 1, 1, 4, 1], vertical_alignment="center")
    prev.button(
        tr("present.prev"),
        key="present_prev",
        on_click=move,
        args=(-1,),
        disabled=index == 0,
        shortcut="Left",
        icon=":material/arrow_back:",
        width="stretch",
    )
    counter.markdown(f"**{tr('present.counter', i=index + 1, n=len(chosen))}**")
    nxt.button(
        tr("present.next"),
        key="present_next",
        on_click=move,
        args=(1,),
        disabled=index == len(chosen) - 1,
        shortcut="Right",
        icon=":material/arrow_forward:",
        width="stretch",
    )
    hint.caption(tr("present.keys_hint"))
    leave.button(tr("present.exit"), key="present_exit", on_click=set_show, args=(False,), width="stretch")
    # Clickers send Page Up / Page Down; F toggles full screen (a browser wants a key press or a
    # click in the page itself for that). Streamlit's own shortcuts handle the arrow keys.
    st.html(
        """<script>
(function () {
  if (window.__uprPresentKeys) return;
  window.__uprPresentKeys = true;
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var next = document.querySelector(".st-key-present_next button");
    if (!next) return;  // not in the presenter view
    if (e.key === "f" || e.key === "F") {
      e.preventDefault();
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen().catch(function () {});
      return;
    }
    var which = e.key === "PageDown" ? "next" : e.key === "PageUp" ? "prev" : null;
    if (!which) return;
    var b = document.querySelector(".st-key-present_" + which + " button");
    if (b && !b.disabled) { e.preventDefault(); b.click(); }
  });
})();
</script>""",
        unsafe_allow_javascript=True,
    )
    stop_page()

# --- the setup view: choose, preview, share, download ------------------------------------------
st.title(tr("present.title"))
st.caption(tr("present.intro"))
st.session_state[SLIDES_KEY] = list(chosen)
st.multiselect(
    tr("present.pick"),
    slides.SLIDE_KEYS,
    key=SLIDES_KEY,
    on_change=pick_slides,
    format_func=lambda k: slides.slide_name(k, lang),
    help=tr("present.pick_help"),
    placeholder=tr("present.pick_placeholder"),
)
if not chosen:
    st.info(tr("present.no_slides"))
    stop_page()

start, kind, download = st.columns([1, 2, 2], vertical_alignment="bottom")
start.button(
    tr("present.start"),
    key="present_start",
    type="primary",
    icon=":material/slideshow:",
    on_click=set_show,
    args=(True,),
    help=tr("present.start_help"),
    width="stretch",
)
st.session_state.setdefault(KEPT_KIND, pptx_deck.NATIVE)
st.session_state[KIND_KEY] = st.session_state[KEPT_KIND]
kind.radio(
    tr("present.pptx_kind"),
    [pptx_deck.NATIVE, pptx_deck.PICTURE],
    key=KIND_KEY,
    format_func=lambda k: t(f"present.pptx_{k}", lang),
    horizontal=True,
    help=tr("present.pptx_kind_help"),
    on_change=lambda: st.session_state.update({KEPT_KIND: st.session_state[KIND_KEY]}),
)
pictures = st.session_state[KEPT_KIND] == pptx_deck.PICTURE


def build_pptx() -> bytes:
    # Runs when the button is clicked, on another thread: pure builders and the cached queries only.
    deck = slides.build_deck(chosen, fetch, f, lang)
    return slides.deck_pptx(deck, lang, pictures, images.shared() if pictures else None)


file_name = f"{file_stem('deck_' + lang)}.pptx"
with download:
    if pictures:
        pptx_download(build_pptx, "present_pptx", file_name)
    else:  # native charts need no browser
        st.download_button(
            tr("present.pptx"),
            data=build_pptx,
            file_name=file_name,
            mime=PPTX_MIME,
            key="present_pptx",
            on_click="ignore",
            icon=":material/slideshow:",
        )
if pictures and images.browser_available() and not images.shared().running:
    # Open the browser now, in the background, so that the download does not wait for its start-up.
    images.shared().start(wait=False)

base = st.context.url or "/present"
st.markdown(f"**{tr('present.link')}**")
st.code(slides.deck_link(base, current_deck(True)), language=None, wrap_lines=True)
st.caption(tr("present.link_help"))

st.divider()
st.session_state[PICK_KEY] = index
st.segmented_control(
    tr("present.preview_pick"),
    list(range(len(chosen))),
    key=PICK_KEY,
    format_func=lambda i: f"{i + 1}. {slides.slide_name(chosen[i], lang)}",
    on_change=lambda: st.session_state.update(
        {INDEX_KEY: st.session_state[PICK_KEY] if st.session_state[PICK_KEY] is not None else index}
    ),
)
st.caption(tr("present.preview", i=index + 1, n=len(chosen)))
headline(slide.headline, "1.8rem")
chart(slide.figure, f"present_preview_{chosen[index]}")
st.caption(slide.source)
