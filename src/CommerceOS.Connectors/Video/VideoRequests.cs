using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Video;

namespace CommerceOS.Connectors.Video;

/// <summary>Checks and roundings every video provider applies before paying for a task.</summary>
internal static class VideoRequests
{
    /// <summary>Kling takes at most 10 MB (section 3.3); the others document no lower limit we would reach first.</summary>
    public const int MaxImageBytes = 10 * 1024 * 1024;

    /// <summary>The start frame's content type by its magic bytes: PNG or JPEG, as every provider accepts.</summary>
    public static string RequireImage(VideoGenerationRequest request, string vendor)
    {
        var contentType = ImageFormats.Sniff(request.Image);
        if (contentType is not ("image/png" or "image/jpeg"))
        {
            throw new ProviderException(ProviderFailure.Rejected, $"The start frame for {vendor} must be a PNG or JPEG image.");
        }

        if (request.Image.Length > MaxImageBytes)
        {
            throw new ProviderException(ProviderFailure.Rejected, $"The start frame for {vendor} is larger than {MaxImageBytes / (1024 * 1024)} MB.");
        }

        return contentType;
    }

    /// <summary>The offered duration nearest to the wanted one; a tie takes the shorter (cheaper) clip.</summary>
    public static int Nearest(int wanted, params int[] offered) =>
        offered.OrderBy(d => Math.Abs(d - wanted)).ThenBy(d => d).First();

    /// <summary>"16:9" or "9:16": a square or unknown ratio takes the vertical one, the format sellers mostly want.</summary>
    public static string LandscapeOrPortrait(string aspectRatio) => aspectRatio.Trim() == "16:9" ? "16:9" : "9:16";
}
