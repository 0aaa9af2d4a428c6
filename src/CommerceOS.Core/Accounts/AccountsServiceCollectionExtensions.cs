using CommerceOS.Core.Data;
using CommerceOS.Core.Jobs;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>Lifespan of e-mail confirmation, password reset and e-mail change tokens (ASVS 5.0 6.4.1: short-lived).</summary>
    public static readonly TimeSpan TokenLifespan = TimeSpan.FromHours(1);

    /// <summary>
    /// Registers Identity core for <see cref="AppUser"/>/<see cref="AppRole"/> on <see cref="AppDbContext"/>
    /// with default token providers, the peppered bcrypt hasher, the password policy (as the only
    /// password validator), account options validated at start-up, and the Accounts use cases.
    /// The host adds <c>AddSignInManager()</c>, cookies and Data Protection key persistence
    /// (<c>PersistKeysToDbContext&lt;AppDbContext&gt;()</c>: tokens must survive restarts).
    /// Requires <c>AddDatabase</c> and <c>AddEmail</c>.
    /// </summary>
    /// <remarks>
    /// Lockout: Identity locks for a fixed <see cref="LockoutOptions.DefaultLockoutTimeSpan"/>; the
    /// requirement's doubling delay (5 failures -> 1 min, doubling) is not expressible in Identity, so
    /// this is 5 failures -> 1 minute, every further 5 failures again; that caps failures at about
    /// 300/h/account, so the host's per-account rate limiter must hold it to 100/h (ASVS 4.0.3 2.2.1).
    /// </remarks>
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddDataProtection();

        services.AddOptions<PasswordHashingOptions>()
            .Bind(configuration.GetSection(PasswordHashingOptions.Section))
            .PostConfigure(options =>
            {
                if (string.IsNullOrWhiteSpace(options.Pepper))
                {
                    options.Pepper = Convert.ToBase64String(PepperFile.LoadOrCreate(dataDirectory));
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PasswordHashingOptions>, PasswordHashingOptionsValidator>();
        services.AddOptions<AccountsOptions>().Bind(configuration.GetSection(AccountsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccountsOptions>, AccountsOptionsValidator>();
        services.AddOptions<AuditOptions>()
            .Bind(configuration.GetSection(AuditOptions.Section))
            .Validate(o => o.Retention > TimeSpan.Zero, "Audit:Retention must be positive.")
            .ValidateOnStart();
        services.AddLogging();
        services.AddSingleton<AuditRetentionSweep>();
        services.AddSingleton<IRecurringSweep>(sp => sp.GetRequiredService<AuditRetentionSweep>());

        services.AddIdentityCore<AppUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                // The user name is the e-mail address, already validated by AccountInput.
                options.User.AllowedUserNameCharacters = "";
                options.Password.RequiredLength = PasswordPolicy.MinimumLength;
                options.Password.RequiredUniqueChars = 1;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(1);
                options.SignIn.RequireConfirmedEmail = true;
            })
            .AddRoles<AppRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddDefaultTokenProviders();

        services.Configure<DataProtectionTokenProviderOptions>(options => options.TokenLifespan = TokenLifespan);

        // Identity's PasswordValidator counts UTF-16 units and carries composition rules: ours replaces it.
        services.RemoveAll<IPasswordValidator<AppUser>>();
        services.AddScoped<IPasswordValidator<AppUser>, PasswordPolicyValidator>();
        services.RemoveAll<IPasswordHasher<AppUser>>();
        services.AddSingleton<IPasswordHasher<AppUser>, BcryptPasswordHasher>();

        services.AddSingleton<AccountLinks>();
        services.AddScoped<AuditLog>();
        // Sign-up checks the accepted versions against the current ones.
        services.TryAddSingleton<Privacy.LegalVersions>();
        services.AddScoped<RegisterUser>();
        services.AddScoped<ConfirmEmail>();
        services.AddScoped<RequestPasswordReset>();
        services.AddScoped<ResetPassword>();
        services.AddScoped<ChangePassword>();
        services.AddScoped<UpdateProfile>();
        services.AddScoped<RequestEmailChange>();
        services.AddScoped<ConfirmEmailChange>();
        services.AddScoped<CreateApiKey>();
        services.AddScoped<ListApiKeys>();
        services.AddScoped<RevokeApiKey>();
        services.AddScoped<ApiKeyAuthenticator>();
        return services;
    }
}
