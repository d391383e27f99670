/** Sends a command to a forked bench client and resolves with its first message of the answer type. */
export function askChild(child, cmd, answer) {
  return new Promise((resolve) => {
    const onMessage = (msg) => {
      if (msg.type !== answer) return;
      child.off('message', onMessage);
      resolve(msg);
    };
    child.on('message', onMessage);
    child.send(cmd);
  });
}
