import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { ChevronRight, KeyRound, Landmark, Loader2, LogOut, UserRound } from "lucide-react";
import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { FormField } from "@/components/common/FormField";
import { PageHeader } from "@/components/common/PageHeader";
import { PasswordInput } from "@/components/common/PasswordInput";
import { ROLE_LABEL, Avatar } from "@/components/layout/UserMenu";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { meQueryOptions, useLogoutMutation, useUpdateMeMutation } from "@/features/auth/queries";
import { APP_VERSION } from "@/features/branding/queries";
import { ApiError, type FieldErrors } from "@/lib/api";
import type { MeUpdate, User } from "@/lib/api-types";
import { APP_NAME } from "@/lib/config";
import { formatDateTime } from "@/lib/format";
import { extraMobileItems } from "@/lib/nav";

export const Route = createFileRoute("/_auth/profile")({
  staticData: { title: "Profil" },
  component: ProfilePage,
});

const orNull = (s: string) => (s.trim() ? s.trim() : null);

function useSaveSection(onDone?: () => void) {
  const update = useUpdateMeMutation();
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = (body: MeUpdate, success: string) => {
    setErrors({});
    update.mutate(body, {
      onSuccess: () => {
        toast.success(success);
        onDone?.();
      },
      onError: (err) => {
        if (err instanceof ApiError) setErrors(err.fieldErrors);
        toast.error(err.message);
      },
    });
  };
  return { save, errors, setErrors, pending: update.isPending };
}

function Section({ icon: Icon, title, description, children, footer, onSubmit }: {
  icon: typeof UserRound;
  title: string;
  description?: string;
  children: ReactNode;
  footer: ReactNode;
  onSubmit: (e: FormEvent) => void;
}) {
  return (
    <Card>
      <form onSubmit={onSubmit} noValidate className="contents">
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <Icon className="text-primary size-5" /> {title}
          </CardTitle>
          {description && <CardDescription>{description}</CardDescription>}
        </CardHeader>
        <CardContent className="grid gap-4">{children}</CardContent>
        <CardFooter className="justify-end">{footer}</CardFooter>
      </form>
    </Card>
  );
}

function SaveButton({ pending, label = "Simpan" }: { pending: boolean; label?: string }) {
  return (
    <Button type="submit" disabled={pending}>
      {pending && <Loader2 className="animate-spin" />} {label}
    </Button>
  );
}

function IdentitySection({ user }: { user: User }) {
  const [name, setName] = useState(user.name);
  const [phone, setPhone] = useState(user.phone ?? "");
  const { save, errors, pending } = useSaveSection();
  useEffect(() => {
    setName(user.name);
    setPhone(user.phone ?? "");
  }, [user]);

  return (
    <Section
      icon={UserRound}
      title="Data diri"
      onSubmit={(e) => {
        e.preventDefault();
        save({ name: name.trim(), phone: orNull(phone) }, "Profil disimpan");
      }}
      footer={<SaveButton pending={pending} />}
    >
      <FormField id="profile-name" label="Nama" errors={errors.name}>
        <Input id="profile-name" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!errors.name || undefined} />
      </FormField>
      <FormField id="profile-phone" label="No. WhatsApp" errors={errors.phone}>
        <Input id="profile-phone" type="tel" inputMode="tel" value={phone} onChange={(e) => setPhone(e.target.value)} aria-invalid={!!errors.phone || undefined} />
      </FormField>
    </Section>
  );
}

function BankSection({ user }: { user: User }) {
  const [bankName, setBankName] = useState(user.bankName ?? "");
  const [bankAccount, setBankAccount] = useState(user.bankAccount ?? "");
  const [bankHolder, setBankHolder] = useState(user.bankHolder ?? "");
  const { save, errors, pending } = useSaveSection();

  return (
    <Section
      icon={Landmark}
      title="Rekening pembayaran"
      description="Ditampilkan kepada pelanggan Anda untuk pembayaran transfer."
      onSubmit={(e) => {
        e.preventDefault();
        save({ bankName: orNull(bankName), bankAccount: orNull(bankAccount), bankHolder: orNull(bankHolder) }, "Rekening disimpan");
      }}
      footer={<SaveButton pending={pending} />}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField id="profile-bankName" label="Nama bank" errors={errors.bankName}>
          <Input id="profile-bankName" placeholder="BCA, BRI, …" value={bankName} onChange={(e) => setBankName(e.target.value)} />
        </FormField>
        <FormField id="profile-bankAccount" label="No. rekening" errors={errors.bankAccount}>
          <Input id="profile-bankAccount" inputMode="numeric" value={bankAccount} onChange={(e) => setBankAccount(e.target.value)} />
        </FormField>
      </div>
      <FormField id="profile-bankHolder" label="Atas nama" errors={errors.bankHolder}>
        <Input id="profile-bankHolder" value={bankHolder} onChange={(e) => setBankHolder(e.target.value)} />
      </FormField>
    </Section>
  );
}

function PasswordSection() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const reset = () => {
    setCurrent("");
    setNext("");
    setConfirm("");
  };
  const { save, errors, setErrors, pending } = useSaveSection(reset);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: FieldErrors = {};
    if (!current) errs.currentPassword = ["Masukkan password saat ini."];
    if (next.length < 8) errs.newPassword = ["Password baru minimal 8 karakter."];
    if (next !== confirm) errs.confirmPassword = ["Konfirmasi password tidak sama."];
    if (Object.keys(errs).length) return setErrors(errs);
    save({ currentPassword: current, newPassword: next }, "Password berhasil diubah. Sesi di perangkat lain telah diakhiri.");
  };

  return (
    <Section icon={KeyRound} title="Ubah password" onSubmit={submit} footer={<SaveButton pending={pending} label="Ubah password" />}>
      <FormField id="profile-current" label="Password saat ini" errors={errors.currentPassword}>
        <PasswordInput id="profile-current" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} aria-invalid={!!errors.currentPassword || undefined} />
      </FormField>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField id="profile-new" label="Password baru" errors={errors.newPassword}>
          <PasswordInput id="profile-new" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} aria-invalid={!!errors.newPassword || undefined} />
        </FormField>
        <FormField id="profile-confirm" label="Ulangi password baru" errors={errors.confirmPassword}>
          <PasswordInput id="profile-confirm" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} aria-invalid={!!errors.confirmPassword || undefined} />
        </FormField>
      </div>
    </Section>
  );
}

function ProfilePage() {
  const { data: user } = useSuspenseQuery(meQueryOptions());
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const logout = useLogoutMutation();
  const more = extraMobileItems(user.role);

  return (
    <>
      <PageHeader title="Profil" description="Data akun dan keamanan login Anda." />
      <div className="grid gap-4 lg:grid-cols-[320px_1fr] lg:items-start">
        <Card className="items-center gap-3 px-6 text-center">
          <div className="scale-150 py-3">
            <Avatar name={user.name} />
          </div>
          <div>
            <p className="text-lg font-semibold">{user.name}</p>
            <p className="text-muted-foreground text-sm">@{user.username}</p>
          </div>
          <Badge data-testid="profile-role">{ROLE_LABEL[user.role]}</Badge>
          <dl className="w-full space-y-2 border-t pt-3 text-left text-sm">
            <div>
              <dt className="text-muted-foreground text-xs">Nama usaha / area</dt>
              <dd className="font-medium">{user.businessName}</dd>
            </div>
            <div>
              <dt className="text-muted-foreground text-xs">Login terakhir</dt>
              <dd>{formatDateTime(user.lastLoginAt)}</dd>
            </div>
          </dl>
        </Card>
        <div className="grid gap-4">
          <IdentitySection user={user} />
          {user.role === "mitra" && <BankSection user={user} />}
          <PasswordSection />
        </div>
      </div>

      {/* On phones the bottom bar holds five items; the rest of the menu lives here. */}
      {more.length > 0 && (
        <Card className="mt-4 gap-0 py-2 md:hidden" data-testid="more-menu">
          {more.map((item) => (
            <Link key={item.to} to={item.to} className="hover:bg-muted flex items-center gap-3 px-4 py-3 text-sm font-medium">
              <item.icon className="text-primary size-5" />
              <span className="flex-1">{item.label}</span>
              <ChevronRight className="text-muted-foreground size-4" />
            </Link>
          ))}
        </Card>
      )}
      <Button
        variant="outline"
        className="text-destructive mt-4 w-full md:hidden"
        onClick={() =>
          logout.mutate(undefined, {
            onSettled: async () => {
              await navigate({ to: "/login" });
              queryClient.clear();
            },
          })
        }
      >
        <LogOut /> Keluar
      </Button>
      <p className="text-muted-foreground mt-4 text-center text-xs md:hidden">{APP_NAME} v{APP_VERSION}</p>
    </>
  );
}
