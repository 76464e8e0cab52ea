import { createFileRoute, redirect, useNavigate } from "@tanstack/react-router";
import { Loader2, LogIn } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { FormField } from "@/components/common/FormField";
import { Logo } from "@/components/common/Logo";
import { PasswordInput } from "@/components/common/PasswordInput";
import { ThemeToggle } from "@/components/layout/ThemeToggle";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { loadCurrentUser, useLoginMutation } from "@/features/auth/queries";
import { APP_VERSION, useBranding } from "@/features/branding/queries";
import { useSplashVisible } from "@/components/layout/splash-state";
import { useDeferredMount } from "@/hooks/use-deferred-mount";
import { ApiError } from "@/lib/api";
import { cn } from "@/lib/utils";

type LoginSearch = { redirect?: string };

/** Only same-app paths, so a crafted link cannot bounce the user to another site after login. */
function safeRedirect(target: string | undefined): string {
  return target && target.startsWith("/") && !target.startsWith("//") && !target.startsWith("/login") ? target : "/";
}

export const Route = createFileRoute("/login")({
  validateSearch: (search: Record<string, unknown>): LoginSearch =>
    typeof search.redirect === "string" ? { redirect: search.redirect } : {},
  beforeLoad: async ({ context, search }) => {
    const user = await loadCurrentUser(context.queryClient);
    if (user) throw redirect({ href: safeRedirect(search.redirect) });
  },
  component: LoginPage,
});

function LoginPage() {
  const navigate = useNavigate();
  const search = Route.useSearch();
  const { appName, logoUrl } = useBranding();
  const splash = useSplashVisible();
  const login = useLoginMutation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [shakeKey, setShakeKey] = useState(0);
  // Under the app-open splash, the page in a background render (interruptible, in slices) right after the route's:
  // rendered with the route, it was one ~450 ms task on a 4x-throttled CPU. The empty frame is the same box
  // (nothing moves when it fills). Reached in the app (a logout), at once: a second render would come after the
  // logout's queryClient.clear() and fetch the branding again, into the emptied API cache.
  const deferred = useDeferredMount();
  const ready = deferred || !splash;

  const fieldErrors = error?.fieldErrors ?? {};
  const credentialError = !!error && [401, 423].includes(error.status);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    login.mutate(
      { username: username.trim(), password, remember },
      {
        onSuccess: ({ securityNotice }) => {
          // Someone else tried this account: tell the owner once, until they close it.
          if (securityNotice)
            toast.warning(securityNotice.message, {
              id: "security-notice",
              duration: Infinity,
              closeButton: true,
              description: "Jika itu bukan Anda, segera ganti password di menu Profil.",
            });
          void navigate({ href: safeRedirect(search.redirect), replace: true });
        },
        onError: (err) => {
          setError(err instanceof ApiError ? err : new ApiError(0, "unknown", "Terjadi kesalahan."));
          setShakeKey((k) => k + 1);
        },
      },
    );
  };

  const frame =
    "relative flex min-h-dvh flex-col items-center justify-center bg-gradient-to-br from-primary/15 via-background to-accent/10 px-4 py-10";
  if (!ready) return <div className={frame} />;
  return (
    <div className={frame}>
      <div className="absolute top-3 right-3">
        <ThemeToggle />
      </div>
      <Card
        key={shakeKey}
        data-testid="login-card"
        data-error={error ? "true" : undefined}
        data-attempt={shakeKey}
        className={cn("w-full max-w-[400px] gap-5 shadow-lg", shakeKey > 0 && error && "animate-shake")}
      >
        <CardHeader className="items-center justify-items-center text-center">
          <Logo src={logoUrl} alt={appName} className="mb-2 size-16" />
          <CardTitle className="text-xl">{appName}</CardTitle>
          <CardDescription>Masuk untuk mengelola pelanggan dan tagihan</CardDescription>
        </CardHeader>
        <CardContent>
          <form onSubmit={submit} className="grid gap-4" noValidate>
            {error && !Object.keys(fieldErrors).length ? (
              <div role="alert" data-testid="login-error" className="border-destructive/40 bg-destructive/10 text-destructive rounded-md border px-3 py-2 text-sm">
                {error.message}
              </div>
            ) : null}
            <FormField id="username" label="Username" errors={fieldErrors.username}>
              <Input
                id="username"
                name="username"
                autoComplete="username"
                autoCapitalize="none"
                autoFocus
                required
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                aria-invalid={credentialError || !!fieldErrors.username || undefined}
              />
            </FormField>
            <FormField id="password" label="Password" errors={fieldErrors.password}>
              <PasswordInput
                id="password"
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                aria-invalid={credentialError || !!fieldErrors.password || undefined}
              />
            </FormField>
            <div className="flex items-center gap-2">
              <Checkbox id="remember" checked={remember} onCheckedChange={(v) => setRemember(v === true)} />
              <Label htmlFor="remember" className="font-normal">
                Ingat saya
              </Label>
            </div>
            <Button type="submit" size="lg" className="w-full" disabled={login.isPending || !username || !password}>
              {login.isPending ? <Loader2 className="animate-spin" /> : <LogIn />}
              {login.isPending ? "Memproses…" : "Masuk"}
            </Button>
          </form>
        </CardContent>
      </Card>
      <footer className="text-muted-foreground mt-6 text-xs">
        {appName} · v{APP_VERSION}
      </footer>
    </div>
  );
}
