using Microsoft.AspNetCore.Identity;

namespace CommerceOS.Core.Accounts;

/// <summary>Confirms the address from the verification link. Unknown user and bad token look the same.</summary>
public sealed class ConfirmEmail(UserManager<AppUser> users, AuditLog audit)
{
    public sealed record Request(Guid UserId, string Token, string? IpAddress = null, string? UserAgent = null);

    public sealed record Response(IReadOnlyList<AccountError> Errors)
    {
        public bool Succeeded => Errors.Count == 0;
    }

    public async Task<Response> ExecuteAsync(Request request, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(request.UserId.ToString());
        if (user is null || user.TerminatedAt is not null || string.IsNullOrEmpty(request.Token))
        {
            return new([new(AccountErrors.TokenInvalid)]);
        }

        var result = await users.ConfirmEmailAsync(user, request.Token);
        var outcome = result.Succeeded ? AuditOutcomes.Success : AuditOutcomes.Failure;
        await audit.RecordAsync(AuditActions.EmailConfirm, outcome, user.Id, ipAddress: request.IpAddress, userAgent: request.UserAgent, cancellationToken: cancellationToken);
        return result.Succeeded ? new([]) : new([new(AccountErrors.TokenInvalid)]);
    }
}
