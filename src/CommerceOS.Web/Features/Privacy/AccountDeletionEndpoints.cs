using CommerceOS.Core.Common;
using CommerceOS.Core.Privacy;
using CommerceOS.Web.Features.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using CommerceOS.Web.Shared.Authentication;

namespace CommerceOS.Web.Features.Privacy;

/// <summary>
/// <c>DELETE /api/v1/me</c> with <c>{"password": "..."}</c>: closes the caller's account (<see cref="DeleteAccount"/>), from a
/// session or with the user's API key. A missing or wrong password is 403 <c>privacy.erasure.password_incorrect</c>; being
/// the only Owner of a workspace with other members is 409 <c>privacy.erasure.sole_owner</c>; neither changes anything.
/// </summary>
public static class AccountDeletionEndpoints
{
    public sealed record DeleteAccountBody(string? Password);

    public sealed record AccountDeleted(DateTime TerminatedAt, DateTime ContentErasedAfter, int WorkspacesClosed);

    public static RouteGroupBuilder MapAccountDeletionApi(this RouteGroupBuilder api)
    {
        api.MapDelete("/me", DeleteAsync).WithTags("Privacy");
        return api;
    }

    /// <summary>Closes the account now; generated content is erased after 30 days, invoices keep only the legal minimum.</summary>
    private static async Task<Results<Ok<AccountDeleted>, JsonHttpResult<ProblemDetails>>> DeleteAsync(
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] DeleteAccountBody? body,
        HttpContext context,
        DeleteAccount deleteAccount,
        SignInManager<Core.Accounts.AppUser> signIn,
        CancellationToken cancellationToken)
    {
        if (AuthClaims.UserId(context.User) is not { } userId)
        {
            return ApiProblems.Problem(context, StatusCodes.Status401Unauthorized, "common.unauthenticated");
        }

        var result = await deleteAccount.HandleAsync(
            new DeleteAccount.Request(userId, body?.Password, context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString()),
            cancellationToken);
        if (!result.IsSuccess)
        {
            return Refusal(context, result.Status, result.Errors);
        }

        if (context.User.Identity?.AuthenticationType == IdentityConstants.ApplicationScheme)
        {
            await signIn.SignOutAsync();
        }

        var deleted = result.Value;
        return TypedResults.Ok(new AccountDeleted(deleted.TerminatedAt, deleted.ContentErasedAfter, deleted.WorkspacesClosed));
    }

    /// <summary>A wrong password is a refusal (403 with its own code), not a validation error.</summary>
    internal static JsonHttpResult<ProblemDetails> Refusal(HttpContext context, ResultStatus status, IReadOnlyList<FieldError> errors) =>
        errors.Any(e => e.Code == ErasureErrors.PasswordIncorrect)
            ? ApiProblems.Problem(context, StatusCodes.Status403Forbidden, ErasureErrors.PasswordIncorrect)
            : ApiProblems.From(context, status, errors);
}
