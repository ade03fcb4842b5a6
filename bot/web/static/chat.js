/* The clinic chat widget: plain JavaScript, no build step, no third-party code.
 *
 * Safety rule: message text is only ever set with textContent, never parsed as HTML; the
 * page's Content-Security-Policy forbids inline script as a second line of defence.
 * The conversation lives in an HttpOnly cookie; this script never sees its id.
 */
(function () {
  "use strict";

  var OFFLINE = "I couldn't reach the clinic's server. Please check your connection and try again.";
  var START = [{ title: "Start my intake", payload: "hello" }];

  var log, quick, typing, statusLine, form, input, sendButton, attachButton, fileInput, restartButton;
  var busy = false;
  var restartTimer = null;
  /* The photo guide: the poses from the server, the one shown, and those skipped here. */
  var guide = { panel: null, poses: [], current: null, skipped: {}, uploading: false };
  var UPLOAD_PAYLOAD = "I'll upload them";

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
    var link = element("a", null, "open your check-in");
    link.href = "/checkin/" + match[1];
    span.appendChild(link);
    span.appendChild(document.createTextNode(text.slice(match.index + match[0].length)));
    return span;
  }

  /* One bubble in the log. role: "bot", "patient" or "note"; text keeps its line breaks. */
  function addMessage(message) {
    var role = message.role === "patient" ? "patient" : message.role === "note" ? "note" : "bot";
    var bubble = element("div", "msg " + role);
    var who = role === "patient" ? "You: " : role === "bot" ? "Assistant: " : "";
    if (who) bubble.appendChild(element("span", "visually-hidden", who));
    if (message.photoUrl) {
      bubble.classList.add("photo");
      var image = element("img");
      image.src = message.photoUrl;
      image.alt = "Your photo";
      bubble.appendChild(image);
      bubble.appendChild(element("span", "caption", message.caption || "Photo sent"));
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
    (buttons || []).forEach(function (button) {
      if (typeof button.title !== "string" || typeof button.payload !== "string") return;
      var node = element("button", "", button.title);
      node.type = "button";
      node.disabled = busy;
      node.addEventListener("click", async function () {
        var sent = await sendMessage(button.payload, button.title);
        if (sent && button.payload === UPLOAD_PAYLOAD) openGuide();
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
      throw new Error(OFFLINE);
    }
    var data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    if (!response.ok) {
      var detail = data && typeof data.detail === "string" ? data.detail : "Something went wrong. Please try again.";
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
        statusLine.textContent = "New conversation started. Your earlier answers stay with the clinic.";
      }
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
    var bubble = addMessage({ role: "patient", photoUrl: preview, caption: "Sending photo…" });
    var formData = new FormData();
    formData.append("photo", file, file.name || "photo");
    if (pose) formData.append("pose", pose);
    try {
      var data = await request("POST", "/api/chat/photos", formData);
      var title = pose ? poseTitle(pose) : null;
      bubble.querySelector(".caption").textContent = title ? "Photo sent: " + title : "Photo sent";
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
    document.getElementById("guide-count").textContent = current ? "Photo " + index + " of " + guide.poses.length + ":" : "";
    document.getElementById("guide-pose").textContent = current ? current.title : "All done";
    document.getElementById("guide-ask").textContent = current ? current.ask : "Thank you, that's the photo set. You can close the guide.";
    document.getElementById("guide-take").hidden = !current;
    document.getElementById("guide-skip").hidden = !current;
    document.getElementById("guide-take").disabled = guide.uploading;
    document.getElementById("guide-skip").disabled = guide.uploading;
  }

  async function openGuide() {
    try {
      var data = await request("GET", "/api/chat/photo-guide");
      guide.poses = (data && data.poses) || [];
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
    restartButton.textContent = "Start over";
    restartTimer = null;
  }

  /* Two presses, so a stray tap does not hide the conversation. */
  async function onRestart() {
    if (!restartButton.classList.contains("confirming")) {
      restartButton.classList.add("confirming");
      restartButton.textContent = "Yes, start over";
      statusLine.textContent = "Press again to start a new conversation. Your earlier answers stay with the clinic.";
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
      showButtons(START);
      statusLine.textContent = "New conversation started.";
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
      var messages = (data && data.messages) || [];
      messages.forEach(function (message) {
        if (message.photo_url) {
          addMessage({ role: "patient", photoUrl: message.photo_url, caption: "Photo sent" });
        } else if (message.text) {
          addMessage(message);
        }
      });
      var last = messages[messages.length - 1];
      showButtons(!messages.length ? START : last.role === "bot" ? last.buttons : []);
    } catch (error) {
      addNote(error.message);
      showButtons(START);
    }
  }

  function start() {
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
    loadHistory();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
