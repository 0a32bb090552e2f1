// Runs before first paint: marks the page as scripted so CSS can show script-only controls
// (the mobile menu button) and collapse what scripts will open, without a flash.
document.documentElement.classList.add("js");
