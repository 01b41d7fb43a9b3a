// The questionnaire's copy of the answers in this browser tab's sessionStorage (see dashboard/tab_storage.py).
// Streamlit calls this function whenever the component's data changes. It never sends the answers anywhere
// but back to the app that handed them over, and only when a new session asks for them.
const DRAFT = "kcf-intake-draft";
const SECTION = "kcf-intake-section";

function storage() {
  try {
    return window.sessionStorage;
  } catch (e) {
    return null; // storage blocked by the browser: the "Save draft" file still works
  }
}

export default function (component) {
  const { data, setTriggerValue } = component;
  if (!data) return;
  const store = storage();
  if (data.mode === "ask") {
    let draft = "";
    let section = null;
    try {
      if (store) {
        draft = store.getItem(DRAFT) || "";
        section = store.getItem(SECTION);
      }
    } catch (e) {
      draft = "";
    }
    setTriggerValue("restore", { draft: draft, section: section });
    return;
  }
  if (!store) return;
  try {
    if (data.mode === "clear") {
      store.removeItem(DRAFT);
      store.removeItem(SECTION);
    } else if (data.mode === "save" && typeof data.draft === "string") {
      if (store.getItem(DRAFT) !== data.draft) store.setItem(DRAFT, data.draft);
      store.setItem(SECTION, String(data.section));
    }
  } catch (e) {
    // storage full or blocked: nothing is lost on the server side, and the draft file still works
  }
}
