using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Images;

/// <summary>Start-up validation of a provider section: every failure is listed at once, each naming its setting.</summary>
public abstract class ProviderOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : RemoteProviderOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        Check(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    protected abstract void Check(TOptions options, List<string> failures);
}
