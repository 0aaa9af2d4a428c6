namespace CommerceOS.Core.Workspaces;

/// <summary>Error codes of the workspaces area (team, invitations); texts in <c>Resources/{en,zh-CN}/Workspaces.json</c>.</summary>
public static class WorkspaceErrors
{
    public const string EmailInvalid = "workspaces.email_invalid";
    public const string RoleInvalid = "workspaces.role_invalid";

    /// <summary>Nobody may grant a role above their own (only an Owner makes Owners).</summary>
    public const string RoleAboveOwn = "workspaces.role_above_own";

    /// <summary>The target holds a role above the caller's.</summary>
    public const string MemberOutranks = "workspaces.member_outranks";

    public const string AlreadyMember = "workspaces.already_member";

    /// <summary>A workspace always keeps at least one Owner.</summary>
    public const string LastOwner = "workspaces.last_owner";

    /// <summary>Unknown or revoked token.</summary>
    public const string InvitationInvalid = "workspaces.invitation_invalid";

    public const string InvitationExpired = "workspaces.invitation_expired";

    /// <summary>Someone else already accepted this invitation.</summary>
    public const string InvitationUsed = "workspaces.invitation_used";

    /// <summary>{0} = the invited address. The signed-in account has another e-mail address.</summary>
    public const string InvitationWrongUser = "workspaces.invitation_wrong_user";

    public const string NotMember = "workspaces.not_member";

    public static readonly IReadOnlyList<string> All =
    [
        EmailInvalid, RoleInvalid, RoleAboveOwn, MemberOutranks, AlreadyMember, LastOwner,
        InvitationInvalid, InvitationExpired, InvitationUsed, InvitationWrongUser, NotMember,
    ];
}

/// <summary>Audit actions of the workspaces area (OWASP logging vocabulary style).</summary>
public static class WorkspaceAuditActions
{
    public const string Invite = "workspace_invite";
    public const string InvitationRevoke = "workspace_invite_revoke";
    public const string InvitationAccept = "workspace_invite_accept";
    public const string RoleChange = "authz_change";
    public const string MemberRemove = "workspace_member_remove";
    public const string Switch = "workspace_switch";
}
