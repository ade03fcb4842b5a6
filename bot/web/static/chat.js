/* The clinic chat widget: plain JavaScript, no build step, no third-party code.
 *
 * Safety rule: message text is only ever set with textContent, never parsed as HTML; the
 * page's Content-Security-Policy forbids inline script as a second line of defence.
 * The conversation lives in an HttpOnly cookie; this script never sees its id.
 */
(function () {
  "use strict";

  /* The widget's words in each language the intake is held in (bot/catalogue/patient.<lang>.yml,
     put in the page by the server); the conversation's language picks one. */
  var TEXT = {};
  var language = "en";
  var showingStart = false;

  var log, quick, typing, statusLine, form, input, sendButton, attachButton, fileInput, restartButton;
  var busy = false;
  var restartTimer = null;
  /* The photo guide: the poses from the server, the one shown, and those skipped here. */
  var guide = { panel: null, poses: [], current: null, skipped: {}, uploading: false };

  /* A label in the conversation's language, with {placeholders} filled in. */
  function t(key, values) {
    var text = (TEXT[language] && TEXT[language][key]) || (TEXT.en && TEXT.en[key]) || "";
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    return text;
  }

  /* The photo question's "upload" button, in any language: it opens the photo guide. */
  function opensGuide(payload) {
    return Object.keys(TEXT).some(function (code) { return TEXT[code].upload_payload === payload; });
  }

  function startButtons() {
    return [{ title: t("start_title"), payload: t("start_payload") }];
  }

  /* Show the page in a language: every labelled element, the page's lang and title. */
  function applyLanguage(code) {
    if (!code || !TEXT[code] || code === language) return;
    language = code;
    document.documentElement.lang = code;
    document.title = t("page_title");
    Array.prototype.forEach.call(document.querySelectorAll("[data-text]"), function (node) {
      node.textContent = t(node.getAttribute("data-text"));
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-label]"), function (node) {
      node.setAttribute("aria-label", t(node.getAttribute("data-label")));
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-title]"), function (node) {
      node.title = t(node.getAttribute("data-title"));
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-placeholder]"), function (node) {
      node.placeholder = t(node.getAttribute("data-placeholder"));
    });
    document.getElementById("language").lang = t("switch_language_code");
    if (showingStart) showButtons(startButtons());
    if (guide.panel && !guide.panel.hidden) refreshGuide();
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* The log scrolls by itself on wide screens; on a phone the page scrolls instead. */
  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
    var chat = log.closest(".chat");
    if (chat && chat.getBoundingClientRect().bottom > window.innerHeight) {
      chat.scrollIntoView({ block: "end" });
    }
  }

  /* The two-week check-in link the clinic posts in the chat: made clickable as a link to this
     site's own /checkin/ page (the token only; everything else stays text). */
  var CHECKIN_LINK = /(?:https?:\/\/\S+)?\/checkin\/([A-Za-z0-9_-]{20,100})/;

  function withCheckinLink(text) {
    var span = element("span", "text");
    var match = CHECKIN_LINK.exec(text);
    span.appendChild(document.createTextNode(text.slice(0, match.index)));
    var link = element("a", null, t("checkin_link"));
    link.href = "/checkin/" + match[1];
    span.appendChild(link);
    span.appendChild(document.createTextNode(text.slice(match.index + match[0].length)));
    return span;
  }

  /* One bubble in the log. role: "bot", "patient" or "note"; text keeps its line breaks. */
  function addMessage(message) {
    var role = message.role === "patient" ? "patient" : message.role === "note" ? "note" : "bot";
    var bubble = element("div", "msg " + role);
    var who = role === "patient" ? t("you") : role === "bot" ? t("assistant") : "";
    if (who) bubble.appendChild(element("span", "visually-hidden", who));
    if (message.photoUrl) {
      bubble.classList.add("photo");
      var image = element("img");
      image.src = message.photoUrl;
      image.alt = t("your_photo");
      bubble.appendChild(image);
      bubble.appendChild(element("span", "caption", message.caption || t("photo_sent")));
    } else if (role === "bot" && CHECKIN_LINK.test(String(message.text || ""))) {
      bubble.appendChild(withCheckinLink(String(message.text)));
    } else {
      bubble.appendChild(element("span", "text", String(message.text || "")));
    }
    log.appendChild(bubble);
    scrollToEnd();
    return bubble;
  }

  function addNote(text) {
    return addMessage({ role: "note", text: text });
  }

  function showButtons(buttons) {
    quick.textContent = "";
    showingStart = buttons && buttons.length === 1 && buttons[0].payload === t("start_payload") &&
      buttons[0].title === t("start_title");
    (buttons || []).forEach(function (button) {
      if (typeof button.title !== "string" || typeof button.payload !== "string") return;
      var node = element("button", "", button.title);
      node.type = "button";
      node.disabled = busy;
      node.addEventListener("click", async function () {
        var sent = await sendMessage(button.payload, button.title);
        if (sent && opensGuide(button.payload)) openGuide();
      });
      quick.appendChild(node);
    });
    if (quick.firstChild) scrollToEnd(); // new replies push the box down: keep them in view
  }

  function renderBotMessages(messages) {
    var buttons = [];
    (messages || []).forEach(function (message) {
      if (message.text) addMessage(message);
      buttons = message.buttons && message.buttons.length ? message.buttons : [];
    });
    showButtons(buttons);
  }

  function setBusy(value) {
    busy = value;
    typing.hidden = !value;
    sendButton.disabled = value;
    Array.prototype.forEach.call(quick.querySelectorAll("button"), function (node) {
      node.disabled = value;
    });
    if (value) scrollToEnd();
  }

  /* Keyboard users keep their place: if the control they used went away, move to the next one. */
  function restoreFocus() {
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active) && !active.disabled) return;
    var firstQuick = quick.querySelector("button");
    (firstQuick || input).focus();
  }

  async function request(method, url, body) {
    var options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body instanceof FormData) {
      options.body = body;
    } else if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    var response;
    try {
      response = await fetch(url, options);
    } catch (error) {
      throw new Error(t("offline"));
    }
    var data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    if (!response.ok) {
      var detail = data && typeof data.detail === "string" ? data.detail : t("error");
      throw new Error(detail);
    }
    return data;
  }

  async function sendMessage(text, title) {
    if (busy || !text || !text.trim()) return false;
    addMessage({ role: "patient", text: title || text });
    quick.textContent = "";
    setBusy(true);
    var sent = true;
    try {
      var body = { message: text };
      if (title) body.title = title;
      var data = await request("POST", "/api/chat", body);
      if (data && data.restarted) {
        // The sent intake stays with the clinic; this page now shows the new conversation.
        log.textContent = "";
        addMessage({ role: "patient", text: title || text });
        statusLine.textContent = t("restarted");
      }
      applyLanguage(data && data.language);
      renderBotMessages(data && data.messages);
    } catch (error) {
      sent = false;
      addNote(error.message);
      if (!title && !input.value) input.value = text; // nothing typed is lost
    } finally {
      setBusy(false);
      restoreFocus();
    }
    return sent;
  }

  /* Upload one photo; pose is a key of the guided set, or null. True when it was kept. */
  async function uploadPhoto(file, pose) {
    var preview = URL.createObjectURL(file);
    var bubble = addMessage({ role: "patient", photoUrl: preview, caption: t("sending_photo") });
    var formData = new FormData();
    formData.append("photo", file, file.name || "photo");
    if (pose) formData.append("pose", pose);
    try {
      var data = await request("POST", "/api/chat/photos", formData);
      var title = pose ? poseTitle(pose) : null;
      bubble.querySelector(".caption").textContent = title ? t("photo_sent_pose", { title: title }) : t("photo_sent");
      (data.messages || []).forEach(addMessage);
      if (data.guide) guide.poses = data.guide.poses || guide.poses;
      return true;
    } catch (error) {
      bubble.remove();
      addNote(error.message);
      return false;
    } finally {
      URL.revokeObjectURL(preview);
    }
  }

  function poseTitle(key) {
    for (var i = 0; i < guide.poses.length; i++) {
      if (guide.poses[i].key === key) return guide.poses[i].title;
    }
    return null;
  }

  /* The next pose neither taken nor skipped, after the given one, else from the start. */
  function nextPose(after) {
    var start = 0;
    for (var i = 0; i < guide.poses.length; i++) {
      if (guide.poses[i].key === after) start = i + 1;
    }
    var order = guide.poses.slice(start).concat(guide.poses.slice(0, start));
    for (var j = 0; j < order.length; j++) {
      if (!order[j].taken && !guide.skipped[order[j].key]) return order[j];
    }
    return null;
  }

  function renderGuide() {
    var steps = document.getElementById("guide-steps");
    steps.textContent = "";
    guide.poses.forEach(function (pose) {
      var state = pose.taken ? "taken" : guide.skipped[pose.key] ? "skipped" : "";
      if (guide.current && pose.key === guide.current.key) state = (state + " current").trim();
      var item = element("li", state, pose.title + (pose.taken ? " ✓" : ""));
      item.setAttribute("data-pose", pose.key);
      if (guide.current && pose.key === guide.current.key) item.setAttribute("aria-current", "step");
      steps.appendChild(item);
    });
    var current = guide.current;
    var index = current ? guide.poses.indexOf(current) + 1 : 0;
    document.getElementById("guide-count").textContent = current ? t("guide_count", { number: index, total: guide.poses.length }) : "";
    document.getElementById("guide-pose").textContent = current ? current.title : t("guide_done");
    document.getElementById("guide-ask").textContent = current ? current.ask : t("guide_done_note");
    document.getElementById("guide-take").hidden = !current;
    document.getElementById("guide-skip").hidden = !current;
    document.getElementById("guide-take").disabled = guide.uploading;
    document.getElementById("guide-skip").disabled = guide.uploading;
  }

  /* The poses (titles and asks in the conversation's language) from the server. */
  async function loadPoses() {
    var data = await request("GET", "/api/chat/photo-guide");
    guide.poses = (data && data.poses) || [];
  }

  /* After a language change: the open guide's words again, keeping its place. */
  async function refreshGuide() {
    var key = guide.current ? guide.current.key : null;
    try {
      await loadPoses();
    } catch (error) {
      return; // the guide keeps its earlier words
    }
    guide.current = null;
    guide.poses.forEach(function (pose) {
      if (pose.key === key) guide.current = pose;
    });
    renderGuide();
  }

  async function openGuide() {
    try {
      await loadPoses();
    } catch (error) {
      addNote(error.message);
      return;
    }
    guide.current = nextPose(null);
    guide.panel.hidden = false;
    renderGuide();
    guide.panel.scrollIntoView({ block: "nearest" });
    var first = guide.current ? document.getElementById("guide-take") : document.getElementById("guide-close");
    first.focus();
  }

  function closeGuide() {
    guide.panel.hidden = true;
    restoreFocus();
  }

  async function onGuidePhoto(event) {
    var file = event.target.files && event.target.files[0];
    event.target.value = "";
    var current = guide.current;
    if (!file || !current) return;
    guide.uploading = true;
    renderGuide();
    var kept = await uploadPhoto(file, current.key);
    guide.uploading = false;
    if (kept) {
      current.taken = true;
      guide.current = nextPose(current.key);
    }
    renderGuide();
    (guide.current ? document.getElementById("guide-take") : document.getElementById("guide-close")).focus();
  }

  function onGuideSkip() {
    if (!guide.current) return;
    guide.skipped[guide.current.key] = true;
    guide.current = nextPose(guide.current.key);
    renderGuide();
    (guide.current ? document.getElementById("guide-take") : document.getElementById("guide-close")).focus();
  }

  async function uploadChosenFiles() {
    var files = Array.prototype.slice.call(fileInput.files || []);
    fileInput.value = "";
    for (var i = 0; i < files.length; i++) {
      await uploadPhoto(files[i], null);
    }
    restoreFocus();
  }

  function resetRestartButton() {
    restartButton.classList.remove("confirming");
    restartButton.textContent = t("start_over");
    restartTimer = null;
  }

  /* Two presses, so a stray tap does not hide the conversation. */
  async function onRestart() {
    if (!restartButton.classList.contains("confirming")) {
      restartButton.classList.add("confirming");
      restartButton.textContent = t("start_over_confirm");
      statusLine.textContent = t("start_over_note");
      restartTimer = window.setTimeout(function () {
        resetRestartButton();
        statusLine.textContent = "";
      }, 6000);
      return;
    }
    window.clearTimeout(restartTimer);
    resetRestartButton();
    try {
      await request("POST", "/api/chat/restart", {});
      log.textContent = "";
      showButtons(startButtons());
      statusLine.textContent = t("started");
    } catch (error) {
      statusLine.textContent = error.message;
    }
    input.focus();
  }

  function autoGrow() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 128) + "px";
  }

  async function loadHistory() {
    try {
      var data = await request("GET", "/api/chat/history");
      applyLanguage(data && data.language);
      var messages = (data && data.messages) || [];
      messages.forEach(function (message) {
        if (message.photo_url) {
          addMessage({ role: "patient", photoUrl: message.photo_url, caption: t("photo_sent") });
        } else if (message.text) {
          addMessage(message);
        }
      });
      var last = messages[messages.length - 1];
      showButtons(!messages.length ? startButtons() : last.role === "bot" ? last.buttons : []);
    } catch (error) {
      addNote(error.message);
      showButtons(startButtons());
    }
  }

  function start() {
    try {
      TEXT = JSON.parse(document.getElementById("widget-text").textContent) || {};
    } catch (error) {
      TEXT = {}; // the page's own English labels stay
    }
    log = document.getElementById("log");
    quick = document.getElementById("quick");
    typing = document.getElementById("typing");
    statusLine = document.getElementById("status");
    form = document.getElementById("composer");
    input = document.getElementById("message");
    sendButton = document.getElementById("send");
    attachButton = document.getElementById("attach");
    fileInput = document.getElementById("photo-input");
    restartButton = document.getElementById("restart");

    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      var text = input.value;
      if (!text.trim() || busy) return;
      input.value = "";
      autoGrow();
      await sendMessage(text);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    input.addEventListener("input", autoGrow);
    guide.panel = document.getElementById("photo-guide");
    attachButton.addEventListener("click", openGuide);
    fileInput.addEventListener("change", uploadChosenFiles);
    document.getElementById("guide-take").addEventListener("click", function () {
      document.getElementById("guide-input").click();
    });
    document.getElementById("guide-input").addEventListener("change", onGuidePhoto);
    document.getElementById("guide-skip").addEventListener("click", onGuideSkip);
    document.getElementById("guide-close").addEventListener("click", closeGuide);
    document.getElementById("guide-other").addEventListener("click", function () {
      fileInput.click();
    });
    restartButton.addEventListener("click", onRestart);
    /* The other language: sent as a message ("Español" / "English"), so the assistant answers
       in it and the conversation (and any later visit) stays in it. */
    document.getElementById("language").addEventListener("click", function () {
      sendMessage(t("switch_language"));
    });
    loadHistory();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
