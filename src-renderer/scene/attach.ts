// Svelte 5 attachment: `<div {@attach sceneAttachment(opts, onReady)}>` mounts a scene into the
// element and disposes it when the element goes away or `opts` changes.
import type { Attachment } from 'svelte/attachments';
import { createScene, type SceneController, type SceneOptions } from './host.ts';

export function sceneAttachment(opts: SceneOptions, onReady: (scene: SceneController | null) => void): Attachment<HTMLElement> {
  return (element) => {
    const scene = createScene(element, opts);
    onReady(scene);
    return () => {
      onReady(null);
      scene.dispose();
    };
  };
}
