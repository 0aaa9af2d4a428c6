using System.Globalization;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Web.Features.Assets;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Features.ImageStudio;

/// <summary><c>/app/image-studio/compliance</c>: check any photo against a marketplace's main-image rules, see the offending pixels, get the fix.</summary>
[Authorize(Policy = Accounts.AccountsWebExtensions.MemberPolicy)]
public sealed class ComplianceModel(CheckCompliance check, IMarketplaceCatalog catalog, IStringLocalizer localizer) : PageModel
{
    [BindProperty]
    public string Marketplace { get; set; } = "amazon";

    [BindProperty]
    public IFormFile? Image { get; set; }

    public IReadOnlyList<MarketplaceProfile> Marketplaces => catalog.All;

    public CheckCompliance.Response? Result { get; private set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Image is null || Image.Length == 0)
        {
            Error = localizer[UploadErrors.Code(UploadError.Empty)];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await using (var stream = Image.OpenReadStream())
        {
            Result = await check.HandleAsync(new CheckCompliance.Request(stream, Marketplace, Overlay: true, Fix: true), cancellationToken);
        }

        if (Result.UnknownMarketplace)
        {
            Error = localizer[Core.Generation.GenerationErrors.MarketplaceUnknown];
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else if (Result.Rejection is { } rejection)
        {
            Error = localizer[rejection.Code, [.. rejection.Arguments]];
            Response.StatusCode = UploadStatus.For(rejection.Error);
        }

        return Page();
    }

    public static string DataUri(EncodedImage image) => $"data:{image.ContentType};base64,{Convert.ToBase64String(image.Bytes)}";

    /// <summary>A rule's value in the seller's terms: percent for fill and background, px, ratio, MB, names.</summary>
    public string Format(string kind, double? value, string? text)
    {
        if (value is not { } number)
        {
            return text ?? "—";
        }

        return kind switch
        {
            RuleKinds.Fill or RuleKinds.Background => number.ToString("P1", CultureInfo.CurrentCulture),
            RuleKinds.MinSide or RuleKinds.MinLongSide or RuleKinds.MaxSide => localizer["compliance.px", number.ToString("N0", CultureInfo.CurrentCulture)],
            RuleKinds.Aspect => number.ToString("0.###", CultureInfo.CurrentCulture),
            // Marketplaces state limits in decimal megabytes (marketplaces.json stores 10 MB as 10,000,000 bytes).
            RuleKinds.FileSize => localizer["compliance.mb", (number / 1_000_000).ToString("0.##", CultureInfo.CurrentCulture)],
            _ => text ?? number.ToString(CultureInfo.CurrentCulture),
        } + (text is not null && kind == RuleKinds.Background ? $" ({text})" : string.Empty);
    }

    public string Requirement(RuleResult rule)
    {
        if (rule.Allowed is { Count: > 0 } allowed)
        {
            return string.Join(", ", allowed);
        }

        var min = rule.Min is { } a ? Format(rule.Kind, a, null) : null;
        var max = rule.Max is { } b ? Format(rule.Kind, b, null) : null;
        return (min, max) switch
        {
            (not null, not null) when min == max => min,
            (not null, not null) => $"{min} – {max}",
            (not null, null) => $"≥ {min}",
            (null, not null) => $"≤ {max}",
            _ => "—",
        };
    }
}
