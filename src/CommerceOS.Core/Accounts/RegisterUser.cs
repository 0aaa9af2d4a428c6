using CommerceOS.Core.Billing;
using CommerceOS.Core.Data;
using CommerceOS.Core.Email;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CommerceOS.Core.Accounts;

public enum RegistrationOutcome
{
    /// <summary>A new account was created and a verification e-mail sent.</summary>
    Registered = 0,

    /// <summary>
    /// The address already has an account: nothing was created; its owner got an e-mail (a new
    /// verification link if still unverified, otherwise a "someone tried to register" notice).
    /// The UI MUST render this exactly like <see cref="Registered"/> ("check your e-mail"), so the
    /// sign-up form never reveals which addresses are registered (ASVS 5.0 6.3.8).
    /// </summary>
    ExistingAccountNotified = 1,
}

/// <summary>
/// Sign-up. Validates everything first (18+ confirmation, current Terms and Privacy versions, e-mail,
/// display name, language, data region, password policy) and stores nothing when refused. Otherwise,
/// in one transaction: the user, their workspace, the Owner membership, a Starter subscription for
/// one month from now, the Terms / Privacy / age-18 consent records and the audit event. Then sends
/// the verification e-mail in the user's language. A duplicate address is answered success-shaped
/// (see <see cref="RegistrationOutcome.ExistingAccountNotified"/>) after the same bcrypt work, so
/// neither the answer nor its timing reveals registration.
/// </summary>
public sealed class RegisterUser(
    AppDbContext db,
    UserManager<AppUser> users,
    IEmailSender email,
    AccountLinks links,
    AuditLog audit,
    Privacy.LegalVersions legalVersions,
    TimeProvider time,
    ILogger<RegisterUser> logger)
{
    public sealed record Request(
        string Email,
        string Password,
        string DisplayName,
        string PreferredLanguage,
        bool ConfirmedAdult,
        string AcceptedTermsVersion,
        string AcceptedPrivacyVersion,
        string? DataRegion = null,
        string? IpAddress = null,
        string? UserAgent = null,
        string? DateOfBirth = null);

    public sealed record Response(IReadOnlyList<AccountError> Errors, RegistrationOutcome? Outcome)
    {
        public bool Succeeded => Errors.Count == 0;
    }

    public async Task<Response> ExecuteAsync(Request request, CancellationToken cancellationToken)
    {
        var errors = new List<AccountError>();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        // The sign-up page asks for the date of birth, which decides; an operator's tools attest with ConfirmedAdult instead.
        if (request.DateOfBirth is { } dateOfBirth)
        {
            if (string.IsNullOrWhiteSpace(dateOfBirth))
            {
                errors.Add(new(AccountErrors.DateOfBirthRequired));
            }
            else if (!AgeGate.TryParse(dateOfBirth, today, out var born))
            {
                errors.Add(new(AccountErrors.DateOfBirthInvalid));
            }
            else if (!AgeGate.IsAdult(born, today))
            {
                errors.Add(new(AccountErrors.AdultConfirmationRequired));
            }
        }
        else if (!request.ConfirmedAdult)
        {
            errors.Add(new(AccountErrors.AdultConfirmationRequired));
        }

        var legal = await legalVersions.GetAsync(cancellationToken);
        var termsVersion = legal.Current(LegalDocuments.Terms).Version;
        var privacyVersion = legal.Current(LegalDocuments.Privacy).Version;
        if (!string.Equals(request.AcceptedTermsVersion, termsVersion, StringComparison.Ordinal))
        {
            errors.Add(new(AccountErrors.TermsVersionOutdated));
        }

        if (!string.Equals(request.AcceptedPrivacyVersion, privacyVersion, StringComparison.Ordinal))
        {
            errors.Add(new(AccountErrors.PrivacyVersionOutdated));
        }

        if (!AccountInput.TryNormalizeEmail(request.Email, out var address))
        {
            errors.Add(new(AccountErrors.EmailInvalid));
        }

        if (!AccountInput.TryNormalizeDisplayName(request.DisplayName, out var displayName))
        {
            errors.Add(new(AccountErrors.DisplayNameInvalid));
        }

        if (!SupportedLanguages.IsSupported(request.PreferredLanguage))
        {
            errors.Add(new(AccountErrors.LanguageUnsupported));
        }

        var region = request.DataRegion ?? DataRegions.Us;
        if (!DataRegions.All.Contains(region, StringComparer.Ordinal))
        {
            errors.Add(new(AccountErrors.DataRegionUnsupported));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var user = new AppUser
        {
            UserName = address,
            Email = address,
            DisplayName = displayName,
            PreferredLanguage = request.PreferredLanguage,
            CreatedAt = now,
            AdultConfirmedAt = now,
        };

        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, request.Password);
            errors.AddRange(AccountError.FromIdentity(result));
        }

        if (errors.Count > 0)
        {
            return new([.. errors.DistinctBy(e => e.Code)], null);
        }

        if (await users.FindByEmailAsync(address) is { } existing)
        {
            return await NotifyExistingAsync(existing, request, cancellationToken);
        }

        var workspace = new Workspace
        {
            Name = AccountInput.Truncate($"{displayName}'s workspace", AccountInput.MaxDisplayNameLength),
            DataRegion = region,
            CreatedAt = now,
        };

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            IdentityResult created;
            try
            {
                created = await users.CreateAsync(user, request.Password);
            }
            catch (DbUpdateException)
            {
                // Lost a race with a concurrent sign-up for the same address (unique user name index).
                created = IdentityResult.Failed(new IdentityError { Code = "DuplicateEmail", Description = "DuplicateEmail" });
            }

            if (!created.Succeeded)
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                if (created.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName")
                    && await users.FindByEmailAsync(address) is { } raced)
                {
                    return await NotifyExistingAsync(raced, request, cancellationToken);
                }

                return new(AccountError.FromIdentity(created), null);
            }

            user.DefaultWorkspaceId = workspace.Id;
            db.Workspaces.Add(workspace);
            db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = workspace.Id, UserId = user.Id, Role = WorkspaceRole.Owner, JoinedAt = now });
            db.Subscriptions.Add(new Subscription
            {
                WorkspaceId = workspace.Id,
                PlanCode = PlanCatalog.Starter,
                Cycle = BillingCycle.Monthly,
                Status = SubscriptionStatus.Active,
                CurrentPeriodStart = now,
                CurrentPeriodEnd = now.AddMonths(1),
                CreatedAt = now,
                UpdatedAt = now,
            });
            db.ConsentRecords.AddRange(
                new ConsentRecord { UserId = user.Id, Purpose = ConsentPurposes.Terms, Version = termsVersion, Granted = true, RecordedAt = now },
                new ConsentRecord { UserId = user.Id, Purpose = ConsentPurposes.Privacy, Version = privacyVersion, Granted = true, RecordedAt = now },
                // The 18+ confirmation is made under privacy policy section 9, so it carries that version.
                new ConsentRecord { UserId = user.Id, Purpose = ConsentPurposes.AgeOver18, Version = privacyVersion, Granted = true, RecordedAt = now });
            audit.Add(AuditActions.Register, AuditOutcomes.Success, user.Id, workspace.Id, ipAddress: request.IpAddress, userAgent: request.UserAgent);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await SendVerificationAsync(user, cancellationToken);
        return new([], RegistrationOutcome.Registered);
    }

    private async Task<Response> NotifyExistingAsync(AppUser existing, Request request, CancellationToken cancellationToken)
    {
        // Same bcrypt work as a real sign-up, so response time does not tell the two apart.
        _ = users.PasswordHasher.HashPassword(existing, request.Password);

        if (existing.EmailConfirmed)
        {
            await SendAsync(existing, EmailTemplates.DuplicateRegistration(existing.Email!, existing.PreferredLanguage, existing.DisplayName, links.ForgotPassword()), cancellationToken);
        }
        else
        {
            await SendVerificationAsync(existing, cancellationToken);
        }

        await audit.RecordAsync(AuditActions.Register, AuditOutcomes.Failure, existing.Id, target: "duplicate_email",
            ipAddress: request.IpAddress, userAgent: request.UserAgent, cancellationToken: cancellationToken);
        return new([], RegistrationOutcome.ExistingAccountNotified);
    }

    private async Task SendVerificationAsync(AppUser user, CancellationToken cancellationToken)
    {
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        await SendAsync(user, EmailTemplates.VerifyEmail(user.Email!, user.PreferredLanguage, user.DisplayName, links.ConfirmEmail(user.Id, token)), cancellationToken);
    }

    private async Task SendAsync(AppUser user, EmailMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await email.SendAsync(message, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The account is committed; signing up again with the same address re-sends the link
            // (ExistingAccountNotified path), so a mail outage must not turn a sign-up into an error.
            logger.LogError(exception, "Sign-up e-mail to user {UserId} could not be sent", user.Id);
        }
    }
}
