import { ImageUp, Loader2, Trash2 } from "lucide-react";
import { useId, useRef, useState, type DragEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { MAX_UPLOAD_BYTES, UPLOAD_TYPES, useUploadLogoMutation, type UploadTarget } from "./queries";

type Props = {
  target: UploadTarget;
  label: string;
  hint: string;
  /** Current image URL (empty: none set). */
  value: string;
  /** Shown in the preview when `value` is empty. */
  fallback?: string;
  onClear?: () => void;
  /** Preview background, e.g. the splash colour. */
  previewStyle?: React.CSSProperties;
  className?: string;
};

/** Client-side check first: the server says the same, but only after the upload. */
function problem(file: File): string | null {
  if (!UPLOAD_TYPES.includes(file.type)) return "Format tidak didukung. Gunakan PNG, JPEG atau WebP.";
  if (file.size > MAX_UPLOAD_BYTES) return "Ukuran file maksimal 2 MB.";
  return null;
}

/** Image setting: preview, click or drop a file to upload (PNG/JPEG/WebP ≤ 2 MB). */
export function ImageUpload({ target, label, hint, value, fallback, onClear, previewStyle, className }: Props) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const upload = useUploadLogoMutation();

  const send = (file: File | undefined) => {
    if (!file) return;
    const bad = problem(file);
    setError(bad);
    if (bad) return;
    upload.mutate(
      { file, target },
      {
        onSuccess: (res) => toast.success(`${label} diperbarui (${res.width}×${res.height} px)`),
        onError: (e) => setError(e.message),
      },
    );
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    send(e.dataTransfer.files?.[0]);
  };

  const shown = value || fallback;
  return (
    <div className={cn("grid gap-1.5", className)}>
      <span className="text-sm font-medium" id={`${id}-label`}>
        {label}
      </span>
      <div
        role="button"
        tabIndex={0}
        aria-labelledby={`${id}-label`}
        aria-describedby={`${id}-hint`}
        aria-busy={upload.isPending || undefined}
        data-testid={`upload-${target}`}
        data-dragging={dragging || undefined}
        onClick={() => input.current?.click()}
        onKeyDown={(e) => (e.key === "Enter" || e.key === " ") && (e.preventDefault(), input.current?.click())}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={cn(
          "group flex cursor-pointer items-center gap-4 rounded-xl border-2 border-dashed p-3 transition-colors outline-none",
          "hover:border-primary/60 hover:bg-primary/5 focus-visible:border-ring focus-visible:ring-ring/40 focus-visible:ring-[3px]",
          dragging && "border-primary bg-primary/10",
          error && "border-destructive/60",
        )}
      >
        <div
          className="bg-muted relative flex size-20 shrink-0 items-center justify-center overflow-hidden rounded-lg border"
          style={previewStyle}
        >
          {shown ? (
            <img src={shown} alt={`Pratinjau ${label}`} className="max-h-full max-w-full object-contain p-1.5" data-testid={`preview-${target}`} />
          ) : (
            <ImageUp className="text-muted-foreground size-7" />
          )}
          {upload.isPending ? (
            <div className="bg-background/70 absolute inset-0 flex items-center justify-center">
              <Loader2 className="text-primary size-6 animate-spin" />
            </div>
          ) : null}
        </div>
        <div className="min-w-0 text-sm">
          <p className="font-medium">
            <span className="text-primary">Pilih file</span> atau seret ke sini
          </p>
          <p id={`${id}-hint`} className="text-muted-foreground text-xs">
            {hint}
          </p>
          {!value && fallback ? <p className="text-muted-foreground mt-0.5 text-xs italic">Memakai gambar bawaan</p> : null}
        </div>
        <input
          ref={input}
          type="file"
          accept={UPLOAD_TYPES.join(",")}
          className="sr-only"
          tabIndex={-1}
          data-testid={`upload-${target}-input`}
          onChange={(e) => {
            send(e.target.files?.[0]);
            e.target.value = "";
          }}
        />
      </div>
      {error ? (
        <p className="text-destructive text-xs" role="alert">
          {error}
        </p>
      ) : null}
      {value && onClear ? (
        <Button type="button" variant="ghost" size="sm" className="text-muted-foreground w-fit" onClick={onClear}>
          <Trash2 /> Hapus gambar
        </Button>
      ) : null}
    </div>
  );
}
