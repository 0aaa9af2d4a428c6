using CommerceOS.Core.Assets;

namespace CommerceOS.Core.Marketplaces;

/// <summary>One rule's outcome with the measured value.</summary>
/// <param name="Measured">The measured number in the rule's unit (fraction, px, ratio, bytes), when numeric.</param>
/// <param name="MeasuredText">The measured value when it is not a number ("png", "cmyk").</param>
/// <param name="Fixable">An automatic fix exists for this failure.</param>
public sealed record RuleResult(
    string Kind,
    bool Passed,
    RuleSeverity Severity,
    double? Measured,
    string? MeasuredText,
    double? Min,
    double? Max,
    IReadOnlyList<string>? Allowed,
    bool Fixable,
    string Source);

/// <param name="Passed">No rule of severity <see cref="RuleSeverity.Error"/> failed.</param>
public sealed record ComplianceReport(string Marketplace, bool Passed, IReadOnlyList<RuleResult> Rules);

/// <param name="Applied">The rule kinds the fix addressed, in order.</param>
public sealed record ComplianceFix(EncodedImage Image, IReadOnlyList<string> Applied, ComplianceReport After);

/// <summary>
/// Measures an image against a marketplace's main-image rules. Input bytes are untrusted: they are
/// checked with the same header limits as uploads and a refusal throws <see cref="ImageRejectedException"/>.
/// </summary>
public interface IComplianceChecker
{
    ComplianceReport Check(byte[] image, MarketplaceProfile marketplace);

    /// <summary>A PNG of the image, dimmed, with the offending pixels (non-white border, product outside the frame margin) in a loud colour.</summary>
    EncodedImage RenderOverlay(byte[] image, MarketplaceProfile marketplace);

    /// <summary>Re-pads, re-scales and whitens as needed; null when the image already passes or nothing can be fixed.</summary>
    ComplianceFix? Fix(byte[] image, MarketplaceProfile marketplace);
}
