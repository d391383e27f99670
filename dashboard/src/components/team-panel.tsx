import { useEffect, useState } from 'preact/hooks';
import { CreateApiKeyMutation, InviteMutation, RemoveUserMutation, RevokeApiKeyMutation, RevokeInvitationMutation, TeamQuery, UpdateRoleMutation } from '../accounts/documents';
import type { DashboardTeamQuery, Role } from '../generated/graphql';
import { request } from '../live/http';

const ROLES: Role[] = ['OWNER', 'STAFF', 'READ_ONLY'];

/** The owner's page: users (invite, change role, remove), pending invitations (withdraw) and API keys (create, revoke). */
export function TeamPanel({ token }: { token: string }) {
  const [team, setTeam] = useState<DashboardTeamQuery | null>(null);
  const [error, setError] = useState('');
  const [inviteEmail, setInviteEmail] = useState('');
  const [inviteRole, setInviteRole] = useState<Role>('READ_ONLY');
  const [inviteLink, setInviteLink] = useState('');
  const [keyName, setKeyName] = useState('');
  const [keyRole, setKeyRole] = useState<Role>('STAFF');
  const [newKey, setNewKey] = useState('');

  const load = () =>
    request(token, TeamQuery, {})
      .then(setTeam)
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  useEffect(() => void load(), [token]);

  /** Runs a mutation; its userErrors or GraphQL errors are shown, and the lists reloaded. */
  const act = async (run: () => Promise<{ userErrors: { message: string }[] }>) => {
    setError('');
    try {
      const { userErrors } = await run();
      if (userErrors.length > 0) setError(userErrors.map((e) => e.message).join('; '));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
    await load();
  };

  return (
    <section class="panel team" data-testid="team">
      <h2>Team</h2>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <table data-testid="users">
        <thead>
          <tr>
            <th>Email</th>
            <th>Role</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {team?.users.map((u) => (
            <tr key={u.id}>
              <th>{u.email}</th>
              <td>
                <RoleSelect label={`Role of ${u.email}`} value={u.role} onChange={(role) => void act(async () => (await request(token, UpdateRoleMutation, { id: u.id, role })).updateUserRole)} />
              </td>
              <td>
                <button type="button" class="link" onClick={() => void act(async () => (await request(token, RemoveUserMutation, { id: u.id })).removeUser)}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            const { inviteUser } = await request(token, InviteMutation, { input: { email: inviteEmail, role: inviteRole } });
            if (inviteUser.inviteToken) setInviteLink(`${location.origin}/dashboard?invite=${inviteUser.inviteToken}`);
            return inviteUser;
          });
        }}
      >
        <label for="invite-email">Invite</label>
        <input id="invite-email" type="email" placeholder="colleague@example.com" value={inviteEmail} onInput={(e) => setInviteEmail(e.currentTarget.value)} required />
        <RoleSelect label="Role of the invited user" value={inviteRole} onChange={setInviteRole} />
        <button type="submit">Invite</button>
      </form>
      {inviteLink && (
        <p class="secret">
          Send this one-time link (valid 7 days): <code data-testid="invite-link">{inviteLink}</code>
        </p>
      )}
      {team && team.invitations.length > 0 && (
        <table data-testid="invitations">
          <caption>Pending invitations</caption>
          <thead>
            <tr>
              <th>Email</th>
              <th>Role</th>
              <th>Link valid until</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {team.invitations.map((i) => (
              <tr key={i.id}>
                <th>{i.email}</th>
                <td>{i.role}</td>
                <td>{new Date(i.expiresAt).toLocaleString()}</td>
                <td>
                  <button type="button" class="link" aria-label={`Withdraw the invitation of ${i.email}`} onClick={() => void act(async () => (await request(token, RevokeInvitationMutation, { id: i.id })).revokeInvitation)}>
                    Withdraw
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>API keys</h2>
      <table data-testid="api-keys">
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th>Last used</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {team?.apiKeys.map((k) => (
            <tr key={k.id}>
              <th>
                {k.name} <span class="muted">amk_{k.prefix}_…</span>
              </th>
              <td>{k.role}</td>
              <td>{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : 'never'}</td>
              <td>
                <button type="button" class="link" onClick={() => void act(async () => (await request(token, RevokeApiKeyMutation, { id: k.id })).revokeApiKey)}>
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            const { createApiKey } = await request(token, CreateApiKeyMutation, { input: { name: keyName, role: keyRole } });
            if (createApiKey.key) setNewKey(createApiKey.key);
            return createApiKey;
          });
        }}
      >
        <label for="key-name">New key</label>
        <input id="key-name" placeholder="backend" value={keyName} onInput={(e) => setKeyName(e.currentTarget.value)} required />
        <RoleSelect label="Role of the new key" value={keyRole} onChange={setKeyRole} />
        <button type="submit">Create key</button>
      </form>
      {newKey && (
        <p class="secret">
          Copy it now, it is shown only once: <code data-testid="new-key">{newKey}</code>
        </p>
      )}
    </section>
  );
}

function RoleSelect({ label, value, onChange }: { label: string; value: Role; onChange: (role: Role) => void }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.currentTarget.value as Role)}>
      {ROLES.map((r) => (
        <option value={r}>{r}</option>
      ))}
    </select>
  );
}
