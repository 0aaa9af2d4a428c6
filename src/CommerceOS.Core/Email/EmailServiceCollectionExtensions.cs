using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Email;

public static class EmailServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IEmailSender"/> for <c>Email:Provider</c> (<c>pickup</c> default,
    /// <c>smtp</c>), validated at start-up, plus <see cref="EmailPickupReader"/> for the admin outbox.
    /// </summary>
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        var section = configuration.GetSection(EmailOptions.Section);
        services.AddOptions<EmailOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        var configured = section.Get<EmailOptions>() ?? new EmailOptions();
        var pickup = string.IsNullOrWhiteSpace(configured.PickupDirectory)
            ? Path.Combine(dataDirectory, "mail", "pickup")
            : configured.PickupDirectory;
        services.AddSingleton(new EmailPickupFolder(Path.GetFullPath(pickup)));
        services.AddSingleton<EmailPickupReader>();
        services.AddSingleton<PickupMailEraser>();

        if (string.Equals(configured.Provider, EmailOptions.SmtpProvider, StringComparison.Ordinal))
        {
            services.AddSingleton<IEmailSender, SmtpEmailSender>();
        }
        else
        {
            services.AddSingleton<IEmailSender, EmailPickupSender>();
        }

        return services;
    }
}
