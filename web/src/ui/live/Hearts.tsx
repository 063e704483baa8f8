// A badge's hearts, as filled vector hearts (1 to 3).
import { Heart } from 'lucide-preact';

export function Hearts({ n, size = 14, label }: { n: number; size?: number; label?: string }) {
  if (n <= 0) return null;
  return (
    <span class={`hearts hearts-${n}`} data-hearts={n} role="img" aria-label={label ?? `${n} ${n === 1 ? 'heart' : 'hearts'}`}>
      {Array.from({ length: n }, (_, i) => <Heart key={i} size={size} fill="currentColor" strokeWidth={0} />)}
    </span>
  );
}
