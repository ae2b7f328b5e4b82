"""nasctl's stem = "small" applied to once-for-all's OFAMobileNetV3.

once-for-all has no layout for 28x28 images; nasctl's ofa-mobilenetv3 space
with stem = "small" and input_channels = N keeps OFA's tensors (the first
convolution takes N channels) and runs the first convolution and the first
block of the first stage at stride 1 (total stride 8). This makes
once-for-all's own network do the same, in place: its first convolution is
replaced by one of N input channels at stride 1, and block 1 (the first of
stage 1) gets stride 1, which get_active_subnet() copies into the stand-alone
sub-network. Everything else is once-for-all's code.
"""

import torch.nn as nn


def apply_small_stem(net, input_channels=1):
    old = net.first_conv.conv
    net.first_conv.conv = nn.Conv2d(input_channels, old.out_channels, old.kernel_size, stride=1,
                                    padding=old.padding, bias=old.bias is not None)
    net.first_conv.in_channels = input_channels
    net.first_conv.stride = 1
    block = net.blocks[1].conv  # DynamicMBConvLayer, the first block of stage 1
    block.stride = 1
    block.depth_conv.conv.stride = 1
    return net
