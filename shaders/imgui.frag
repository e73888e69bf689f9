#version 300 es
// Dear ImGui fragment shader (WebGL2 / GLSL ES 3.00). Outputs straight alpha; the blend
// state (SRC_ALPHA, ONE_MINUS_SRC_ALPHA / ONE, ONE_MINUS_SRC_ALPHA) turns it into the
// premultiplied colour the transparent canvas is composited with.
precision mediump float;

uniform sampler2D Texture;

in vec2 Frag_UV;
in vec4 Frag_Color;

layout (location = 0) out vec4 Out_Color;

void main() {
  Out_Color = Frag_Color * texture(Texture, Frag_UV.st);
}
