// Text labels as camera-facing sprites drawn on a canvas texture; `height` is in world units.
import * as THREE from 'three';

export function textSprite(text: string, height: number, color = '#222222'): THREE.Sprite {
  const font = 48;
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d')!;
  ctx.font = `${font}px sans-serif`;
  const width = Math.ceil(ctx.measureText(text).width) + 16;
  canvas.width = width;
  canvas.height = font + 16;
  ctx.font = `${font}px sans-serif`;
  ctx.fillStyle = color;
  ctx.textBaseline = 'middle';
  ctx.fillText(text, 8, canvas.height / 2);
  const texture = new THREE.CanvasTexture(canvas);
  texture.colorSpace = THREE.SRGBColorSpace;
  const material = new THREE.SpriteMaterial({ map: texture, depthTest: false, transparent: true });
  const sprite = new THREE.Sprite(material);
  sprite.scale.set((height * canvas.width) / canvas.height, height, 1);
  sprite.renderOrder = 10;
  sprite.userData.text = text;
  return sprite;
}

/** Replace a sprite's text in place (keeps its height). */
export function setSpriteText(sprite: THREE.Sprite, text: string, color = '#222222'): void {
  if (sprite.userData.text === text) return;
  const height = sprite.scale.y;
  const fresh = textSprite(text, height, color);
  const old = sprite.material;
  old.map?.dispose();
  old.dispose();
  sprite.material = fresh.material;
  sprite.scale.copy(fresh.scale);
  sprite.userData.text = text;
}
