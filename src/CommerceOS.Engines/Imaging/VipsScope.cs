using NetVips;

namespace CommerceOS.Engines.Imaging;

/// <summary>libvips pixel buffers are native memory the GC cannot see: every intermediate image is disposed with the scope.</summary>
public sealed class VipsScope : IDisposable
{
    private readonly List<Image> _images = [];

    public Image Add(Image image)
    {
        _images.Add(image);
        return image;
    }

    public void Dispose()
    {
        foreach (var image in _images)
        {
            image.Dispose();
        }

        _images.Clear();
    }
}
