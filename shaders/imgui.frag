#version 300 es
// Dear ImGui fragment shader (WebGL2 / GLSL ES 3.00). Outputs straight alpha; the blend
// state (SRC_ALPHA, ONE_MINUS_SRC_ALPHA / ONE, ONE_MINUS_SRC_ALPHA) turns it into the
// premultiplied colour the transparent canvas is composited with. The only texture is the
// font atlas, uploaded as R8 (coverage in the red channel: a quarter of the bytes of RGBA,
// src/render/imgui_impl_webgl2.cpp), so the texture gives alpha and the vertex colour the rest.
precision mediump float;

uniform sampler2D Texture;

in vec2 Frag_UV;
in vec4 Frag_Color;

layout (location = 0) out vec4 Out_Color;

void main() {
  Out_Color = vec4(Frag_Color.rgb, Frag_Color.a * texture(Texture, Frag_UV.st).r);
}
