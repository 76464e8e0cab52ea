/**
 * Domain types derived from the generated schema by endpoint (not by component name), so they
 * survive the backend renaming its marshmallow schemas.
 *
 * marshmallow output schemas list no `required`, so openapi-typescript marks every response
 * property optional; the API always sends them (null where nullable), hence `Required<>` on
 * response shapes. Request bodies keep their real optionality.
 */
import type { paths } from "./api-schema";

type Json<R> = R extends { content: { "application/json": infer T } } ? T : never;
type Ok<Op> = Op extends { responses: infer R }
  ? R extends { 200: infer A }
    ? Json<A>
    : R extends { 201: infer B }
      ? Json<B>
      : never
  : never;
type Body<Op> = Op extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;
type Query<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** The list envelope used by every list endpoint. */
/** A list envelope; `totalCapped`: the server stopped counting and `total` is a lower bound ("10.000+"). */
export type Page<T> = { items: T[]; total: number; totalCapped?: boolean; page: number; perPage: number };
type PageOf<Op> = Ok<Op> extends { items?: (infer T)[] } ? Page<Required<T>> : never;

export type User = Required<Ok<paths["/api/auth/me"]["get"]>>;
export type Role = User["role"];
export type MeUpdate = Body<paths["/api/auth/me"]["patch"]>;
/** Failed logins to the account since its previous login, reported once on the login answer. */
export type SecurityNotice = Required<NonNullable<Ok<paths["/api/auth/login"]["post"]>["securityNotice"]>>;
export type UserList = PageOf<paths["/api/users"]["get"]>;
export type UserQuery = Query<paths["/api/users"]["get"]>;
export type UserCreate = Body<paths["/api/users"]["post"]>;
export type UserUpdate = Body<paths["/api/users/{user_id}"]["patch"]>;

export type Package = Required<Ok<paths["/api/packages/{package_id}"]["get"]>>;
export type PackageList = PageOf<paths["/api/packages"]["get"]>;
export type PackageQuery = Query<paths["/api/packages"]["get"]>;
export type PackageCreate = Body<paths["/api/packages"]["post"]>;
export type PackageUpdate = Body<paths["/api/packages/{package_id}"]["patch"]>;

export type Branding = Ok<paths["/api/settings/branding"]["get"]>;

export type DashboardStats = Required<Ok<paths["/api/dashboard/stats"]["get"]>>;
