using MimeKit;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Email;

/// <summary>Configuration section <c>Email</c>.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    public const string PickupProvider = "pickup";
    public const string SmtpProvider = "smtp";

    /// <summary><c>pickup</c> (default: .eml files under the data folder) or <c>smtp</c>.</summary>
    public string Provider { get; set; } = PickupProvider;

    /// <summary>Sender of every message unless <see cref="SmtpEmailOptions.From"/> overrides it for SMTP.</summary>
    public string From { get; set; } = "CommerceOS <no-reply@commerceos.localhost>";

    /// <summary>Where the pickup sender writes; default <c>&lt;data dir&gt;/mail/pickup</c>.</summary>
    public string? PickupDirectory { get; set; }

    public SmtpEmailOptions Smtp { get; set; } = new();
}

/// <summary>Configuration section <c>Email:Smtp</c>.</summary>
public sealed class SmtpEmailOptions
{
    public string? Host { get; set; }

    /// <summary>587 (submission with STARTTLS) by default; 465 means TLS from the first byte.</summary>
    public int Port { get; set; } = 587;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Require TLS (STARTTLS, or implicit TLS on port 465). Turn off only for a local relay.</summary>
    public bool UseTls { get; set; } = true;

    public string? From { get; set; }
}

/// <summary>Fails start-up on an unknown provider, a missing SMTP host or an unparsable sender.</summary>
public sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        var failures = new List<string>();
        if (options.Provider is not (EmailOptions.PickupProvider or EmailOptions.SmtpProvider))
        {
            failures.Add($"Email:Provider must be '{EmailOptions.PickupProvider}' or '{EmailOptions.SmtpProvider}', not '{options.Provider}'.");
        }

        if (!MailboxAddress.TryParse(options.From, out _))
        {
            failures.Add("Email:From is not a valid address (e.g. \"CommerceOS <no-reply@example.com>\").");
        }

        if (options.Provider == EmailOptions.SmtpProvider)
        {
            if (string.IsNullOrWhiteSpace(options.Smtp.Host))
            {
                failures.Add("Email:Provider is 'smtp' but Email:Smtp:Host is empty.");
            }

            if (options.Smtp.Port is < 1 or > 65535)
            {
                failures.Add("Email:Smtp:Port must be between 1 and 65535.");
            }

            if (options.Smtp.From is { Length: > 0 } from && !MailboxAddress.TryParse(from, out _))
            {
                failures.Add("Email:Smtp:From is not a valid address.");
            }

            if (!string.IsNullOrEmpty(options.Smtp.Username) && string.IsNullOrEmpty(options.Smtp.Password))
            {
                failures.Add("Email:Smtp:Username is set but Email:Smtp:Password is empty.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
