using CommerceOS.Core.Video;
using CommerceOS.Engines.Imaging.Graphics;

namespace CommerceOS.Engines.Video;

/// <summary>A template laid out: the ffmpeg timeline and when the cover frame is taken.</summary>
public sealed record TemplatePlan(Timeline Timeline, TimeSpan CoverAt);

/// <summary>
/// Lays out each template of issue 5 as a <see cref="Timeline"/>: which photo shows when, with which camera move and
/// transition, and which drawn PNG (title, hook, selling point, label, brand card) lies over which seconds.
/// </summary>
public static class TemplatePlans
{
    private const int Fps = VideoFormats.FramesPerSecond;

    /// <summary>UGC cuts come about every 1.5 s: faster than a showcase, slow enough to see the product.</summary>
    private const double UgcShotSeconds = 1.5;

    /// <summary>The hook line holds the first seconds, where viewers decide to keep watching.</summary>
    private const double HookSeconds = 2.5;

    /// <summary>One angle of the turn: half a second, with a fifth of a second of dissolve into the next.</summary>
    private const int TurnShotFrames = 15;

    private const int TurnDissolveFrames = 6;

    /// <summary>Bounds a 60 s turntable of few angles to a graph ffmpeg sets up quickly.</summary>
    private const int MaxTurnShots = 120;

    public static TemplatePlan Plan(VideoRenderSpec spec, VideoArt art, string output, string? captions)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(art);
        var images = spec.Images.Take(VideoTemplates.MaxImages).ToList();
        var total = (int)Math.Round(spec.Duration.TotalSeconds * Fps);
        var primary = Rgb.Parse(spec.PrimaryColour);
        var accent = Rgb.Parse(spec.AccentColour);
        var (w, h) = (spec.Format.Width, spec.Format.Height);
        var unit = Math.Min(w, h);
        var overlays = new List<Overlay>();
        var style = VideoGraph.DefaultCaptions;
        var coverAt = spec.Duration / 3;

        Timeline Build(IReadOnlyList<string> inputs, IReadOnlyList<Shot> shots, string transition, int transitionFrames) =>
            new(spec.Format, spec.Duration, inputs, shots, transition, transitionFrames, spec.PrimaryColour, overlays, captions, style, spec.MusicPath, output);

        switch (spec.Template)
        {
            case VideoTemplate.Showcase:
            {
                var timeline = ShowcaseGraph.Timeline(images, spec.Format, spec.Duration, spec.PrimaryColour, output, captions);
                if (art.Panel(spec.Title, (int)(w * 0.86), (int)(h * 0.22), unit / 12, unit / 30, primary, 0.9) is { } title)
                {
                    overlays.Add(new Overlay(title.Path, 0.2, Math.Min(3.2, spec.Duration.TotalSeconds * 0.4), (w - title.Width) / 2, (int)(h * 0.08)));
                    coverAt = TimeSpan.FromSeconds(1.2);
                }

                return new TemplatePlan(timeline with { Overlays = overlays, Music = spec.MusicPath }, coverAt);
            }

            case VideoTemplate.Ugc:
            {
                var count = Math.Max(1, (int)Math.Round(spec.Duration.TotalSeconds / UgcShotSeconds));
                var shots = VideoGraph.Distribute(total, count, 0).Select((f, i) => new Shot(i % images.Count, f, i % 2 == 0 ? CameraMove.PunchIn : CameraMove.PanRight)).ToList();
                if (art.Panel(spec.Title, (int)(w * 0.9), (int)(h * 0.3), unit / 9, unit / 24, primary, 0.95) is { } hook)
                {
                    overlays.Add(new Overlay(hook.Path, 0, HookSeconds, (w - hook.Width) / 2, (int)(h * 0.14)));
                    coverAt = TimeSpan.FromSeconds(1.2);
                }

                // Creator videos carry big captions in the lower middle, clear of the platforms' bottom controls.
                style = new CaptionStyle(18, h > w ? 64 : 32);
                return new TemplatePlan(Build(images, shots, VideoGraph.CutTransition, 0), coverAt);
            }

            case VideoTemplate.Highlights:
            {
                var points = spec.Points.Where(p => !GraphicsText.IsBlank(p)).Take(VideoTemplates.MaxImages).ToList();
                var count = Math.Max(points.Count, images.Count);
                var fade = count > 1 ? 12 : 0;
                var frames = VideoGraph.Distribute(total, count, fade);
                var shots = frames.Select((f, i) => new Shot(i % images.Count, f, ShowcaseGraph.MoveFor(i))).ToList();
                var (boxW, boxH) = ((int)(w * 0.86), (int)(h * 0.24));
                var shared = GraphicsText.CommonSize(points, new TextStyle(art.Families, true, Rgb.White, NetVips.Enums.Align.Centre, spec.Language), boxW, boxH, unit / 14, unit / 32);
                var start = 0;
                for (var i = 0; i < points.Count; i++)
                {
                    var end = start + frames[i] - (i < count - 1 ? fade : 0);
                    if (art.Panel(points[i], boxW, boxH, shared, unit / 32, primary, 0.92, accent) is { } panel)
                    {
                        overlays.Add(new Overlay(panel.Path, (start / (double)Fps) + 0.25, (end / (double)Fps) - 0.05, (w - panel.Width) / 2, (int)(h * 0.07)));
                    }

                    start = end;
                }

                return new TemplatePlan(Build(images, shots, "fade", fade), coverAt);
            }

            case VideoTemplate.BeforeAfter:
            {
                const int wipe = 24;
                var frames = VideoGraph.Distribute(total, 2, wipe);
                var shots = new List<Shot> { new(0, frames[0], CameraMove.Still), new(1, frames[1], CameraMove.Still) };
                var wipeStart = (frames[0] - wipe) / (double)Fps;
                var wipeEnd = wipeStart + (wipe / (double)Fps);
                var (boxW, boxH) = ((int)(w * 0.5), (int)(h * 0.1));
                if (art.Panel(spec.Labels.GetValueOrDefault("before"), boxW, boxH, unit / 16, unit / 40, accent, 1) is { } before)
                {
                    overlays.Add(new Overlay(before.Path, 0.15, wipeStart, (int)(w * 0.06), (int)(h * 0.06)));
                }

                if (art.Panel(spec.Labels.GetValueOrDefault("after"), boxW, boxH, unit / 16, unit / 40, accent, 1) is { } after)
                {
                    overlays.Add(new Overlay(after.Path, wipeEnd, spec.Duration.TotalSeconds - 0.05, (int)(w * 0.06), (int)(h * 0.06)));
                }

                coverAt = TimeSpan.FromSeconds(wipeStart + ((wipeEnd - wipeStart) / 2));
                return new TemplatePlan(Build(images.Take(2).ToList(), shots, "wipeleft", wipe), coverAt);
            }

            case VideoTemplate.Turntable:
            {
                var count = (int)Math.Ceiling((total - TurnDissolveFrames) / (double)(TurnShotFrames - TurnDissolveFrames));
                count = Math.Clamp(count, 2, MaxTurnShots);
                var shots = VideoGraph.Distribute(total, count, TurnDissolveFrames).Select((f, i) => new Shot(i % images.Count, f, CameraMove.Still)).ToList();
                return new TemplatePlan(Build(images, shots, "dissolve", TurnDissolveFrames), coverAt);
            }

            case VideoTemplate.BrandCard:
            {
                var name = spec.BrandName ?? spec.Title;
                var intro = art.Card(primary, spec.LogoPath, name, spec.BrandName is null ? null : spec.Title);
                var outro = art.Card(primary, spec.LogoPath, name, null);
                const int fade = 12;
                var card = Math.Clamp(total / 5, 45, 75);
                var product = VideoGraph.Distribute(total - (2 * card) + (2 * fade), images.Count, fade);
                var inputs = images.Append(intro.Path).Append(outro.Path).ToList();
                var shots = new List<Shot> { new(images.Count, card, CameraMove.Still) };
                shots.AddRange(product.Select((f, i) => new Shot(i, f, ShowcaseGraph.MoveFor(i))));
                shots.Add(new Shot(images.Count + 1, card, CameraMove.Still));
                coverAt = TimeSpan.FromSeconds((card - fade) / 2.0 / Fps);
                return new TemplatePlan(Build(inputs, shots, "fade", fade), coverAt);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(spec), spec.Template, "Unknown template.");
        }
    }
}
